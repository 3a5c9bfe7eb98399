package dev.chase.metrics;

/**
 * The FLOP model of one conv or linear layer (algorithm §7.2): with nnz non-zero weights it costs
 * (2·nnz + biases)·outputPixels per image, 2 FLOPs per multiply-add and 1 per bias addition.
 *
 * @param name the layer's name in {@code Network}
 * @param weights elements of the weight tensor
 * @param biases output channels that get a bias added (0 for a layer without bias)
 * @param outputPixels H_out·W_out of a conv, 1 for a linear layer
 */
record LayerCost(String name, long weights, long biases, long outputPixels) {

    /** FLOPs per image with {@code nonZeros} active weights. */
    long flops(long nonZeros) {
        return (2 * nonZeros + biases) * outputPixels;
    }

    /** FLOPs per image with every weight active. */
    long dense() {
        return flops(weights);
    }
}
