package dev.chase.data;

/** A contiguous range of another dataset's examples, e.g. to split one generated set into train and test. */
public record SubsetDataset(ImageDataset source, int offset, int size) implements ImageDataset {
    public SubsetDataset {
        if (offset < 0 || size <= 0 || (long) offset + size > source.size()) {
            throw new IllegalArgumentException("range [" + offset + ", " + ((long) offset + size) + ") is outside a dataset of "
                    + source.size() + " examples");
        }
    }

    @Override
    public int numClasses() {
        return source.numClasses();
    }

    @Override
    public int label(int index) {
        return source.label(offset + check(index));
    }

    @Override
    public RawImage image(int index) {
        return source.image(offset + check(index));
    }

    private int check(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        return index;
    }
}
