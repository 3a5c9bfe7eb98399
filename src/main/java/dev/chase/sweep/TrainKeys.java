package dev.chase.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a sweep needs to know about {@code chase train}: the keys its recipes accept and the reader
 * of a recipe file, so a sweep's base recipe is read exactly as {@code chase train --recipe} reads it.
 *
 * @param keys the recipe keys, which are the long flags of {@code chase train} without dashes
 * @param recipe reads a recipe file into its keys and values as text, in file order
 */
public record TrainKeys(List<String> keys, Function<Path, Map<String, String>> recipe) {}
