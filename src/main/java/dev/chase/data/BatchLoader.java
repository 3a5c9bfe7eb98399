package dev.chase.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stateless random access to the batches of a dataset: {@link #load(int, int, NDManager)} gives
 * batch {@code b} of epoch {@code e} without any iteration state, so a run can resume exactly at
 * any step.
 *
 * <p>Everything random is a pure function of the seed: the order of epoch {@code e} is a
 * Fisher-Yates shuffle driven by a generator seeded from (seed, e), and the augmentation of the
 * example at position {@code p} of that order draws from a generator seeded from (seed, e, p).
 * The same (seed, epoch, batch) therefore gives the same tensors whatever the batch size history,
 * thread count or call order. With {@code workers > 1} the examples of a batch are decoded and
 * transformed in parallel on a small pool of daemon threads; the result is identical.
 */
public final class BatchLoader implements AutoCloseable {

    /**
     * One batch: images as float32 {@code (N, C, H, W)} and labels as int64 {@code (N)}, both
     * owned by the manager given to {@link #load}; {@code size} is N.
     */
    public record Batch(NDArray images, NDArray labels, int size) implements AutoCloseable {
        @Override
        public void close() {
            images.close();
            labels.close();
        }
    }

    private record Order(int epoch, int[] permutation) {}

    private static final long ORDER_DOMAIN = 0x6A09E667F3BCC909L;
    private static final long SAMPLE_DOMAIN = 0xBB67AE8584CAA73BL;

    private final ImageDataset dataset;
    private final Transform transform;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int workers;
    private final ExecutorService pool;
    private volatile Order cachedOrder;

    /** A loader that works on the calling thread. */
    public BatchLoader(ImageDataset dataset, Transform transform, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this(dataset, transform, batchSize, shuffle, dropLast, seed, 1);
    }

    /** A loader that prepares the examples of each batch on {@code workers} threads (1 = caller). */
    public BatchLoader(ImageDataset dataset, Transform transform, int batchSize, boolean shuffle, boolean dropLast, long seed, int workers) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (workers <= 0) {
            throw new IllegalArgumentException("workers must be positive, got " + workers);
        }
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
        if (dropLast && dataset.size() < batchSize) {
            throw new ChaseException("the dataset has " + dataset.size() + " examples, fewer than one batch of " + batchSize
                    + ", and the last partial batch is dropped: no batch is left; lower the batch size");
        }
        this.dataset = dataset;
        this.transform = transform;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.workers = workers;
        if (workers > 1) {
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "chase-batch-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    public ImageDataset dataset() {
        return dataset;
    }

    public Transform transform() {
        return transform;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public boolean dropLast() {
        return dropLast;
    }

    public long seed() {
        return seed;
    }

    /** Batches per epoch: {@code floor(n / B)} when the last partial batch is dropped, else {@code ceil(n / B)}. */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (int) ((n + (long) batchSize - 1) / batchSize);
    }

    /** Examples delivered per epoch: the dataset size, less the dropped partial batch if any. */
    public int size() {
        return dropLast ? numBatches() * batchSize : dataset.size();
    }

    /** The dataset indices in the order epoch {@code epoch} visits them (a fresh copy). */
    public int[] order(int epoch) {
        return orderOf(epoch).clone();
    }

    private int[] orderOf(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        Order o = cachedOrder;
        if (o != null && o.epoch == epoch) {
            return o.permutation;
        }
        int n = dataset.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(mix(seed ^ ORDER_DOMAIN) + epoch));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        cachedOrder = new Order(epoch, perm);
        return perm;
    }

    /** The augmentation generator of the example at {@code position} in epoch {@code epoch}. */
    SplittableRandom sampleRandom(int epoch, int position) {
        long h = mix(mix(seed ^ SAMPLE_DOMAIN) + epoch);
        return new SplittableRandom(mix(h + position));
    }

    /** Batch {@code batchIndex} of epoch {@code epoch}, created in {@code manager}. */
    public Batch load(int epoch, int batchIndex, NDManager manager) {
        int batches = numBatches();
        if (batchIndex < 0 || batchIndex >= batches) {
            throw new IndexOutOfBoundsException("batch " + batchIndex + " outside [0, " + batches + ")");
        }
        int[] perm = orderOf(epoch);
        int start = batchIndex * batchSize;
        int count = Math.min(batchSize, dataset.size() - start);
        ImageShape shape = transform.outputShape();
        int per = shape.size();
        float[] images = new float[Math.multiplyExact(count, per)];
        long[] labels = new long[count];
        if (pool == null || count == 1) {
            fill(perm, epoch, start, 0, count, images, labels, per);
        } else {
            int parts = Math.min(workers, count);
            List<Future<?>> futures = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                int from = (int) ((long) count * p / parts);
                int to = (int) ((long) count * (p + 1) / parts);
                futures.add(pool.submit(() -> fill(perm, epoch, start, from, to, images, labels, per)));
            }
            for (Future<?> f : futures) {
                await(f);
            }
        }
        NDArray x = manager.create(images, new Shape(count, shape.channels(), shape.height(), shape.width()));
        NDArray y = manager.create(labels, new Shape(count));
        return new Batch(x, y, count);
    }

    private void fill(int[] perm, int epoch, int start, int from, int to, float[] images, long[] labels, int per) {
        for (int j = from; j < to; j++) {
            int position = start + j;
            int index = perm[position];
            labels[j] = dataset.label(index);
            transform.apply(dataset.image(index), sampleRandom(epoch, position), images, j * per);
        }
    }

    private static void await(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** SplitMix64 finaliser: spreads nearby inputs (epoch 3 vs 4) into unrelated seeds. */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Stops the worker threads, if any. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
