package dev.chase.channel;

import dev.chase.ChaseException;

/** Validation of the user settings of channel pruning; failures are {@link ChaseException}s. */
final class ChannelChecks {
    private ChannelChecks() {}

    /** Final channel sparsity S_c, in [0, 1). */
    static double channelSparsity(double sc) {
        if (!(sc >= 0.0 && sc < 1.0)) {
            throw new ChaseException("channel sparsity S_c must be in [0, 1) (fraction of prunable channels removed"
                    + " by the end, e.g. 0.5), got " + sc);
        }
        return sc;
    }

    /** Floor factor beta, in (0, 1]. */
    static double beta(double beta) {
        if (!(beta > 0.0 && beta <= 1.0)) {
            throw new ChaseException("channel floor factor beta must be in (0, 1] (a layer keeps at least"
                    + " floor(O * (1 - S_c) * beta) channels, e.g. 0.2), got " + beta);
        }
        return beta;
    }

    static long positive(String what, long value) {
        if (value <= 0) {
            throw new ChaseException(what + " must be a positive number of iterations, got " + value);
        }
        return value;
    }
}
