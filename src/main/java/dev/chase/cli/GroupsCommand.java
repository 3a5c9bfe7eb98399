package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import dev.chase.graph.GraphFiles;
import dev.chase.graph.GroupDerivation;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chase groups}: the channel groups of an architecture, found by following its graph. */
@Command(name = "groups", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"The channel groups of an architecture, found from its graph.",
            "Follow every channel dimension of --model's graph and list the groups of channels that must be removed "
            + "together: width, kind (internal: what Chase prunes; stream: shared channels, pruned with --prune-skip; "
            + "fixed: never pruned, with the reason), the layers that produce them and the layers that read them.",
            "--model graph:PATH reads a graph JSON file, --model onnx:PATH the architecture of an ONNX file (docs/graphs.md)."})
final class GroupsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchitectureOptions architecture;

    @Override
    public Integer call() {
        if (!architecture.given()) {
            throw new ChaseException("give the architecture with --model NAME");
        }
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(architecture.graph());
        PrintWriter out = spec.commandLine().getOut();
        String title = GraphFiles.isFile(architecture.model) ? architecture.model : architecture.model + ", width " + architecture.width;
        out.printf(Locale.ROOT, "%s: %d channel groups%n", title, groups.size());
        out.printf(Locale.ROOT, "%-22s %-8s %6s  %-30s %s%n", "group", "kind", "width", "producers", "consumers");
        for (GroupDerivation.Derived d : groups) {
            ChannelGroup g = d.group();
            String notes = (g.block() > 1 ? "  (removed in blocks of " + g.block() + ")" : "")
                    + (d.fixedReason() == null ? "" : "  (fixed: " + d.fixedReason() + ")");
            out.printf(Locale.ROOT, "%-22s %-8s %6d  %-30s %s%s%n", g.name(), g.kind().name().toLowerCase(Locale.ROOT), g.width(),
                    String.join(",", g.producers()), consumers(d), notes);
        }
        out.flush();
        return 0;
    }

    /** The consumers, each read other than as its first input channels marked {@code name@offset} ({@code xK}: K columns a channel). */
    private static String consumers(GroupDerivation.Derived d) {
        return d.group().consumers().stream().map(c -> c + d.group().columns().getOrDefault(c, List.of()).stream()
                .map(r -> "@" + r.offset() + (r.perChannel() > 1 ? "x" + r.perChannel() : "")).collect(Collectors.joining()))
                .collect(Collectors.joining(","));
    }
}
