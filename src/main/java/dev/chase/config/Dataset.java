package dev.chase.config;

import dev.chase.ChaseException;
import java.util.List;

/** The datasets of {@code dev.chase.data.DataCatalog}; {@link #key()} is the name used there. */
public enum Dataset {
    CIFAR10, CIFAR100, FASHION_MNIST, MNIST, FASHION_MNIST_SUBSET, IMAGEFOLDER, SYNTHETIC;

    /** The user-facing name, e.g. {@code fashion-mnist}. */
    public String key() {
        return Keys.key(this);
    }

    /** Every name, in order. */
    public static List<String> keys() {
        return Keys.keys(Dataset.class);
    }

    /** Parses an exact name as {@code DataCatalog.open} does, with its message. */
    public static Dataset parse(String name) {
        Dataset d = Keys.find(Dataset.class, name);
        if (d == null) {
            throw new ChaseException("unknown dataset '" + name + "': use one of " + String.join(", ", keys()));
        }
        return d;
    }
}
