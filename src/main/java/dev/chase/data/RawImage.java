package dev.chase.data;

/**
 * One decoded image as unsigned 8-bit values in CHW order, before any augmentation or
 * normalisation. Datasets hand these out; a {@link Transform} turns them into model input.
 */
public record RawImage(ImageShape shape, byte[] data) {
    public RawImage {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("image data has " + data.length + " bytes, shape " + shape + " needs " + shape.size());
        }
    }

    /** The value at (channel, row, column) in [0, 255]. */
    public int at(int c, int y, int x) {
        return data[(c * shape.height() + y) * shape.width() + x] & 0xFF;
    }
}
