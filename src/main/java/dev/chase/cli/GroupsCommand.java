package dev.chase.cli;

import dev.chase.ChaseException;
import dev.chase.graph.GroupDerivation;
import dev.chase.graph.SpecGraphs;
import dev.chase.model.ChannelGroup;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code chase groups}: the channel groups of an architecture, found by following its graph. */
@Command(name = "groups", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"The channel groups of an architecture, found from its graph.",
            "Follow every channel dimension of --model's graph and list the groups of channels that must be removed "
            + "together: width, kind (internal: what Chase prunes; stream: shared channels, pruned with --prune-skip; "
            + "fixed: never pruned, with the reason), the layers that produce them and the layers that read them."})
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
        List<GroupDerivation.Derived> groups = GroupDerivation.derive(SpecGraphs.of(architecture.spec()));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, width %s: %d channel groups%n", architecture.model, architecture.width, groups.size());
        out.printf(Locale.ROOT, "%-22s %-8s %6s  %-30s %s%n", "group", "kind", "width", "producers", "consumers");
        for (GroupDerivation.Derived d : groups) {
            ChannelGroup g = d.group();
            out.printf(Locale.ROOT, "%-22s %-8s %6d  %-30s %s%s%n", g.name(), g.kind().name().toLowerCase(Locale.ROOT), g.width(),
                    String.join(",", g.producers()), String.join(",", g.consumers()),
                    d.fixedReason() == null ? "" : "  (fixed: " + d.fixedReason() + ")");
        }
        out.flush();
        return 0;
    }
}
