package dev.chase.graph;

/**
 * The shape of one image's activation at a node of a {@link LayerGraph}: channels by height by
 * width. A flattened activation is {@code features x 1 x 1}.
 */
public record Shape(int channels, int height, int width) {

    /** Whether the activation has no spatial extent left (after global pooling or a flatten). */
    public boolean isVector() {
        return height == 1 && width == 1;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
