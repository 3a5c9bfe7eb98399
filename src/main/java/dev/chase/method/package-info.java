/**
 * The training methods as compositions: each sparse method is one small class that builds its
 * per-run parts (the mask updater of {@link dev.chase.sparse}, and for Chase the channel
 * controller of {@link dev.chase.channel}) from its typed configuration ({@link
 * dev.chase.config.MethodConfig}), and {@link dev.chase.method.MethodRegistry} finds the class of
 * a method. Adding a method means one class and one registry line. {@link
 * dev.chase.method.Chase} is the paper's method in one file.
 */
package dev.chase.method;
