package dev.chase.config;

import dev.chase.Require;


/**
 * Static sparse training: the initial mask never changes.
 *
 * @param sparsity the initial mask
 */
public record Static(Sparsity sparsity) implements MethodConfig {
    public Static {
        Require.that(sparsity != null, "sparsity must be given");
    }

    @Override
    public DstMethod dstMethod() {
        return DstMethod.STATIC;
    }

    /** A copy with this density. */
    public Static density(double d) {
        return new Static(sparsity.density(d));
    }

    /** A copy with this distribution. */
    public Static distribution(Sparsity.Distribution d) {
        return new Static(sparsity.distribution(d));
    }

    /** A copy with this mask sampling. */
    public Static maskInit(Sparsity.MaskInit m) {
        return new Static(sparsity.maskInit(m));
    }
}
