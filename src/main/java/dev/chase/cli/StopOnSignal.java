package dev.chase.cli;

import dev.chase.train.TrainingRun;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * While open, turns the first SIGINT (Ctrl-C) or SIGTERM into a request that the training run
 * stop at its next step boundary, so the command can still write what it must (the checkpoint of
 * a finished epoch, summary, report, the line that says how to continue) and then exit with 128 +
 * the signal's number. Before a run is attached, and on a second signal, the process ends at once
 * (a run not yet attached has nothing to lose: it can be resumed from step 0). The JVM does not
 * start shutting down on the first signal, so nothing the run needs is torn down under it.
 */
final class StopOnSignal implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile TrainingRun run;
    private volatile Signal received;

    StopOnSignal(PrintWriter err) {
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            previous.put(signal, Signal.handle(signal, s -> {
                TrainingRun target = run;
                if (received != null || target == null) {
                    Runtime.getRuntime().halt(128 + s.getNumber());
                }
                received = s;
                target.requestStop();
                err.println();
                err.println("SIG" + s.getName() + ": stopping at the end of this step, then writing the report"
                        + " (send it again to quit at once)");
                err.flush();
            }));
        }
    }

    /** From now on a signal stops {@code run} (the one this command trains). */
    void stops(TrainingRun run) {
        this.run = run;
    }

    /** Whether a signal asked the run to stop. */
    boolean signalled() {
        return received != null;
    }

    /** The exit code the process should end with: 128 + the signal's number, or {@code normal} if none came. */
    int exitCode(int normal) {
        Signal s = received;
        return s == null ? normal : 128 + s.getNumber();
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
