package dev.chase;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named moments where a crash test may freeze the process, so that it can kill it (SIGKILL) at
 * exactly that moment: mid-epoch, half-way through writing a checkpoint, right after a channel
 * event. Inert unless the JVM is started with {@code -Dchase.fault.pause-at=NAME#N}; then, the
 * N-th time this process reaches the point NAME, it prints {@code chase: paused at NAME#N} on
 * standard error and waits forever. Nothing but tests sets that property; each call costs one
 * comparison with null.
 */
public final class FaultPoint {
    /** The system property that arms a point. */
    public static final String PROPERTY = "chase.fault.pause-at";

    private static final String NAME;
    private static final int COUNT;
    private static final AtomicInteger HITS = new AtomicInteger();

    static {
        String spec = System.getProperty(PROPERTY);
        int hash = spec == null ? -1 : spec.indexOf('#');
        NAME = spec == null ? null : hash < 0 ? spec : spec.substring(0, hash);
        COUNT = hash < 0 ? 1 : Integer.parseInt(spec.substring(hash + 1));
    }

    private FaultPoint() {}

    /** Marks that the process has reached the point {@code name}. */
    public static void reach(String name) {
        if (NAME == null || !NAME.equals(name) || HITS.incrementAndGet() != COUNT) {
            return;
        }
        System.err.println("chase: paused at " + name + "#" + COUNT);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: only the kill ends this process
            }
        }
    }
}
