package dev.chase.config;

import static dev.chase.config.Keys.require;

/**
 * The network to train.
 *
 * @param name the architecture
 * @param width width multiplier applied to every layer, in (0, 4]
 */
public record ModelConfig(Model name, double width) {
    public ModelConfig {
        require(name != null, "model must be given");
        require(width > 0 && width <= 4, "width must be in (0, 4], got " + width);
    }
}
