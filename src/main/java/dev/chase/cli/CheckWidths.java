package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.model.NetSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One network of {@code profile-latency --check-widths GLOB=W[,GLOB=W...]}: the prunable channel groups whose names match
 * each glob ({@code *} matches any characters) narrowed to W channels, e.g. {@code layer3.*.conv1=8}.
 */
final class CheckWidths {
    private CheckWidths() {
    }

    /** The group widths {@code text} sets in {@code net}; refused with a message naming the part at fault. */
    static Map<String, Integer> parse(String text, NetSpec net) {
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.lastIndexOf('=');
            if (eq <= 0) {
                throw refused(text, "'" + part + "' is not GLOB=WIDTH");
            }
            String glob = part.substring(0, eq).strip();
            int width;
            try {
                width = Integer.parseInt(part.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw refused(text, "'" + part.substring(eq + 1) + "' is not a whole number of channels");
            }
            Pattern pattern = Pattern.compile(Pattern.quote(glob).replace("*", "\\E.*\\Q"));
            int matched = 0;
            for (ChannelGroup g : net.channelGroups()) {
                if (g.kind() == ChannelGroup.Kind.FIXED || !pattern.matcher(g.name()).matches()) {
                    continue;
                }
                if (width > g.width()) {
                    throw refused(text, "group " + g.name() + " has " + g.width() + " channels; " + width + " would widen it");
                }
                if (widths.put(g.name(), width) != null) {
                    throw refused(text, "group " + g.name() + " is matched twice");
                }
                matched++;
            }
            if (matched == 0) {
                throw refused(text, "'" + glob + "' matches no prunable channel group (chase groups --model ... lists them)");
            }
        }
        try {
            net.withGroupWidths(widths); // the architecture's own checks: at least 1 channel, whole blocks
        } catch (ChaseException e) {
            throw refused(text, e.getMessage());
        }
        return widths;
    }

    private static ChaseException refused(String text, String why) {
        return new ChaseException("--check-widths " + text + ": " + why);
    }
}
