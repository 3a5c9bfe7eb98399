package dev.chase.config;

import dev.chase.ChaseException;
import java.util.List;
import java.util.Locale;

/** The architectures of the model zoo ({@code dev.chase.model.NetSpecs}); {@link #key()} is the name used there. */
public enum Model {
    VGG11, VGG16, VGG19, RESNET20, RESNET32, RESNET56, RESNET50, RESNET50_IMAGENET,
    RESNET18, RESNET34, WRN_22_2, WRN_28_10, MOBILENETV2, DENSENET_BC_100;

    /** The user-facing name, e.g. {@code resnet50-imagenet}. */
    public String key() {
        return Keys.key(this);
    }

    /** Every name, in order. */
    public static List<String> keys() {
        return Keys.keys(Model.class);
    }

    /** Parses a name as {@code NetSpecs.named} does: trimmed and case-insensitive, with its message. */
    public static Model parse(String name) {
        Model m = name == null ? null : Keys.find(Model.class, name.trim().toLowerCase(Locale.ROOT));
        if (m == null) {
            throw new ChaseException("unknown model '" + name + "'; valid models: " + String.join(", ", keys()));
        }
        return m;
    }
}
