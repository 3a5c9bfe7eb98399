package dev.chase.config;

import dev.chase.Require;

/**
 * The network to train.
 *
 * @param name the architecture
 * @param width width multiplier applied to every layer, in (0, 4]
 */
public record ModelConfig(Model name, double width) {
    public ModelConfig {
        Require.that(name != null, "model must be given");
        Require.that(width > 0 && width <= 4, "width must be in (0, 4], got " + width);
    }
}
