/**
 * The typed run configuration: {@link dev.chase.config.RunConfig} made of small self-validating
 * records (model, data, optimisation, and a sealed {@link dev.chase.config.MethodConfig}), with a
 * builder for Java users and an exact two-way mapping to {@link dev.chase.config.TrainConfig}, the
 * flat form that {@code config.json}, recipes and the command line use.
 */
package dev.chase.config;
