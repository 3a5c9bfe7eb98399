/**
 * The tensor-level core of unstructured dynamic sparse training: per-tensor density
 * distributions (ERK, uniform), seeded mask sampling, exact-count selection primitives with
 * deterministic tie-breaks, magnitude pruning and gradient / random growth rules, the budget
 * arithmetic and the cosine schedules of the Chase algorithm (algorithm §3–§5, §10).
 *
 * <p>Nothing here knows about files, datasets, the CLI or the training loop: everything takes
 * shapes or {@link ai.djl.ndarray.NDArray}s and returns decisions, and all per-weight work runs
 * in native tensor operations. Masks are float32 tensors of 0/1 with the weight's shape, so
 * {@code W *= M} is a single native multiply.
 *
 * <p>"Algorithm §N" (or a bare §N) in this package's comments refers to section N of
 * {@code docs/algorithm.md} in this repository.
 */
package dev.chase.sparse;
