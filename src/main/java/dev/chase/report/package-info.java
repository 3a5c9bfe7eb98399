/**
 * What is made from a run directory for people to read: analyses ({@link
 * dev.chase.report.ChannelAnalysis}, the "sparse amenable channels" of spec §9.3) and PNG charts
 * ({@link dev.chase.report.Charts}). It reads runs through {@code dev.chase.train.RunDirectory}
 * and is used by the command line; nothing below it depends on it.
 */
package dev.chase.report;
