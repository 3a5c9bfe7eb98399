package dev.chase.sparse;

/**
 * How an initial mask is drawn from a tensor's density rho. {@link #EXACT} (the default) gives
 * exactly round(rho·N) ones at uniformly random positions, so the network starts on budget;
 * {@link #BERNOULLI} keeps each element independently with probability rho, as the reference
 * does (algorithm §3 step 5, §10 #19), so the count only matches in expectation.
 */
public enum MaskSampling {
    /** Exactly round(rho·N) ones, uniformly placed. */
    EXACT,
    /** Each element independently with probability rho. */
    BERNOULLI
}
