package dev.chase.config;


/** Dense training: no masks and no options. */
public record Dense() implements MethodConfig {
    @Override
    public DstMethod dstMethod() {
        return DstMethod.DENSE;
    }
}
