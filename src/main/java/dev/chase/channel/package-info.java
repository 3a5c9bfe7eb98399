/**
 * The tensor-level channel logic of Chase (algorithm §6): channel scores ({@link
 * dev.chase.channel.ChannelScore}, UMM and its alternatives), the channel-sparsity schedule and
 * event timing ({@link dev.chase.channel.ChannelSchedule}), the channel-pruning event with
 * per-group floors and redistribution ({@link dev.chase.channel.ChannelPruner}), the optional
 * hardware-friendly width rounding ({@link dev.chase.channel.WidthRounding}) and the structural
 * masks that keep removed channels dead in the unstructured masks ({@link
 * dev.chase.channel.StructuralMasks}), and the per-channel densities and UMM that the "sparse
 * amenable channels" analysis logs ({@link dev.chase.channel.ConvChannels}).
 *
 * <p>Nothing here knows about files, datasets, the CLI or the training loop. Per-weight work
 * (scores, masks) runs in native {@link ai.djl.ndarray.NDArray} ops; the per-channel decisions of
 * an event (a few thousand scores, a handful of times per run) run on plain Java arrays so the
 * floors, rounds and tie-breaks are exact and easy to read.
 *
 * <p>"Algorithm §N" (or a bare §N) in this package's comments refers to section N of
 * {@code docs/algorithm.md} in this repository.
 */
package dev.chase.channel;
