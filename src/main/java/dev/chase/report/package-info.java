/**
 * What is made from run directories for people to read: each run's summary and report page
 * ({@link dev.chase.report.RunSummary}, {@link dev.chase.report.RunReport}), comparisons of runs
 * ({@link dev.chase.report.Comparison}), analyses ({@link dev.chase.report.ChannelAnalysis}, the
 * "sparse amenable channels" of algorithm §9.3) and PNG charts ({@link dev.chase.report.Charts}). It
 * reads runs through {@code dev.chase.run.RunDirectory} and is used by the command line;
 * nothing below it depends on it.
 */
package dev.chase.report;
