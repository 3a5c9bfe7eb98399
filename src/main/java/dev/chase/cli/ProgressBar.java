package dev.chase.cli;

import dev.chase.run.EpochMetrics;
import dev.chase.train.TrainListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress: on standard error, a bar redrawn in place with loss, throughput and ETA when
 * attached to a console, otherwise a plain line every 10 seconds (logs stay readable); each
 * epoch's result line on standard output, with the command's other results.
 */
final class ProgressBar implements TrainListener {
    private static final long REDRAW_NANOS = 250_000_000L;
    private static final long LOG_NANOS = 10_000_000_000L;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final PrintWriter results;
    private final boolean interactive;
    private final LongSupplier clock;
    private long lastDraw;
    private long epochStart;

    ProgressBar(PrintStream out, PrintWriter results, boolean interactive) {
        this(out, results, interactive, System::nanoTime);
    }

    /** With {@code clock} (nanoseconds) in place of {@link System#nanoTime}, for tests. */
    ProgressBar(PrintStream out, PrintWriter results, boolean interactive, LongSupplier clock) {
        this.out = out;
        this.results = results;
        this.interactive = interactive;
        this.clock = clock;
    }

    /** Progress on standard error, redrawn in place when that is a terminal; epoch results on {@code results}. */
    static ProgressBar forTerminal(PrintWriter results) {
        return new ProgressBar(System.err, results, stderrIsTerminal());
    }

    /**
     * Whether standard error is a terminal, so that a line redrawn with carriage returns shows as
     * one line. The {@code chase} launcher tells ({@code -Dchase.stderr-terminal}, from {@code [ -t 2 ]});
     * without it (java -jar) the JVM only knows whether a console is attached to its input and output.
     */
    static boolean stderrIsTerminal() {
        String told = System.getProperty("chase.stderr-terminal");
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double imagesPerSecond) {
        long now = clock.getAsLong();
        if (batch == 1) {
            epochStart = now;
            lastDraw = interactive ? 0 : now;
        }
        long every = interactive ? REDRAW_NANOS : LOG_NANOS;
        if (batch == batches || now - lastDraw < every) {
            return;
        }
        lastDraw = now;
        double etaSeconds = (now - epochStart) / 1e9 / batch * (batches - batch);
        if (!interactive) {
            out.printf(Locale.ROOT, "epoch %d: %d/%d batches  loss %.4f  %.0f img/s  epoch ETA %s%n",
                    epoch, batch, batches, loss, imagesPerSecond, eta(etaSeconds));
            return;
        }
        int filled = (int) ((long) WIDTH * batch / batches);
        String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
        out.printf(Locale.ROOT, "\repoch %d [%s] %d/%d  loss %.4f  %.0f img/s  ETA %s   ",
                epoch, bar, batch, batches, loss, imagesPerSecond, eta(etaSeconds));
        out.flush();
    }

    @Override
    public void onEvaluate(int epoch) {
        if (interactive) {
            out.print("\r" + " ".repeat(100) + "\repoch " + epoch + ": evaluating...");
            out.flush();
        }
    }

    @Override
    public void onEpoch(EpochMetrics m, int epochs) {
        if (interactive) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.flush();
        }
        results.printf(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  lr %.4g  %.1fs (%.0f img/s)%s%n",
                m.epoch(), epochs, m.trainLoss(), 100 * m.trainAccuracy(), m.testLoss(), 100 * m.testAccuracy(),
                m.lr(), m.epochSeconds(), m.trainImagesPerSecond(), m.sparsity() == null ? ""
                        : String.format(Locale.ROOT, "  density %.4f (%d non-zeros, budget %.0f, ITOP %.3f)%s", m.sparsity().density(),
                                m.sparsity().nonZeros(), m.sparsity().budget(), m.sparsity().itopRate(),
                                m.sparsity().channels() == null ? ""
                                        : String.format(Locale.ROOT, "  channel sparsity %.3f", m.sparsity().channels().prunable())));
        results.flush();
    }

    private static String eta(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
