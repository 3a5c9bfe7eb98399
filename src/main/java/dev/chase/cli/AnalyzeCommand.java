package dev.chase.cli;

import dev.chase.io.Shell;
import dev.chase.report.ChannelAnalysis;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chase analyze}: the "sparse amenable channels" analysis of a sparse run (algorithm §9.3). */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Channels of a sparse run much sparser than their layer.",
            "Analyse the per-channel statistics of a sparse run: per epoch, the share of alive conv channels whose "
            + "density is at most alpha times their layer's (alpha = 0.75, 0.5, 0.25, 0), over the prunable layers and over all "
            + "convs, and the final distribution of channel density / layer density. Writes RUN_DIR/analysis.json and PNG "
            + "charts (analysis-amenable.png, analysis-ratio.png, analysis-layers.png)."})
final class AnalyzeCommand implements Callable<Integer> {
    private static final int BAR = 40;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory of a sparse method (static, set, rigl, mest, chase).")
    Path runDir;

    @Override
    public Integer call() {
        ChannelAnalysis a = ChannelAnalysis.of(runDir);
        PrintWriter out = spec.commandLine().getOut();
        List<ChannelAnalysis.EpochRow> rows = a.epochs();
        ChannelAnalysis.EpochRow first = rows.get(0);
        out.printf(Locale.ROOT, "%s: %s, method %s; %d prunable of %d conv layers%n", runDir, a.model(), a.method(),
                first.prunable().layers(), first.allConvs().layers());
        out.println("share of alive conv channels with channel density <= alpha x layer density (ratio = rho_lc / rho_l):");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%5s ", "epoch"));
        for (String part : List.of("prunable", "all convs")) {
            head.append(String.format(Locale.ROOT, "| %-31s ", part));
        }
        out.println(head.append("| dead"));
        StringBuilder sub = new StringBuilder(String.format(Locale.ROOT, "%5s ", ""));
        for (int i = 0; i < 2; i++) {
            sub.append("|");
            a.alphas().forEach(alpha -> sub.append(String.format(Locale.ROOT, " %7s", alpha.equals("0") ? "empty" : "<=" + alpha)));
            sub.append(' ');
        }
        out.println(sub.append("|"));
        for (ChannelAnalysis.EpochRow r : rows) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d ", r.epoch()));
            for (ChannelAnalysis.Share s : List.of(r.prunable(), r.allConvs())) {
                line.append("|");
                a.alphas().forEach(alpha -> line.append(String.format(Locale.ROOT, " %6.1f%%", 100 * s.fraction().get(alpha))));
                line.append(' ');
            }
            out.println(line.append(String.format(Locale.ROOT, "| %d", r.allConvs().dead())));
        }
        ChannelAnalysis.Histogram h = a.finalRatio();
        if (h == null) {
            out.println("no final distribution: channels.json is written when the run finishes (chase train --resume " + Shell.quote(runDir) + ")");
        } else {
            printHistogram(out, h);
        }
        out.println("wrote " + String.join(", ", a.write(runDir).stream().map(Path::toString).toList()));
        return 0;
    }

    private static void printHistogram(PrintWriter out, ChannelAnalysis.Histogram h) {
        out.printf(Locale.ROOT, "final distribution of rho_lc / rho_l after epoch %d (alive channels):%n", h.epoch());
        out.printf(Locale.ROOT, "%-12s %8s %9s%n", "ratio", "prunable", "all convs");
        long max = Math.max(1, Arrays.stream(h.allConvs()).max().orElse(1));
        double[] e = h.edges();
        for (int i = 0; i < e.length; i++) {
            String bin = i + 1 < e.length ? String.format(Locale.ROOT, "[%.1f, %.1f)", e[i], e[i + 1])
                    : String.format(Locale.ROOT, "[%.1f, inf)", e[i]);
            long n = h.allConvs()[i];
            int width = (int) Math.ceil((double) BAR * n / max);
            out.printf(Locale.ROOT, "%-12s %8d %9d %s%n", bin, h.prunable()[i], n, "#".repeat(width));
        }
    }
}
