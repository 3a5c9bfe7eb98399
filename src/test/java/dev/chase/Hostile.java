package dev.chase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Property tests with hostile input: random bytes, and valid samples damaged the ways files get
 * damaged or forged (bit flips, size fields set to extremes, cut, spliced, repeated), with half of
 * the damage aimed at the places that matter (headers, size fields). {@link #forAll} runs a
 * property on many generated inputs, each from its own seed, so a failure names the seed that
 * reproduces it; {@link #read} allows a reader exactly two outcomes: a result or a {@link
 * ChaseException}. Any other exception, a hang, or a heap allocation far beyond the input's size
 * fails the test.
 *
 * <p>Seeds are fixed, so the suite is reproducible. To search further, run with
 * {@code -Dchase.fuzz.seed=N} and {@code -Dchase.fuzz.tries=M}.
 */
public final class Hostile {
    private static final long BASE_SEED = Long.getLong("chase.fuzz.seed", 20_261_126L);
    private static final int[] EXTREME_INTS = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFFFFF0, 1 << 30, 65535, 0xFFFF_FF00};
    private static final long[] EXTREME_LONGS = {0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 31, 1L << 40, Integer.MAX_VALUE};
    private static final List<String> TOKENS = List.of("{", "}", "[", "]", ":", ",", "\"", "'", "-", "- ", "\n", "  ", "\t", "#",
            "null", "~", "true", "NaN", ".inf", "-1", "0", "1e999", "99999999999", "2147483648", "1048577", "0x7fffffff",
            "\u0000", "\uFFFF", "\u00e9", "&a [1]", "*a", "!!binary", "!!java.io.File", "<<: *a", "? ", "|", ">", "---", "...",
            "\"family\": \"vgg\"", "\"family\": \"resnet\"", "[".repeat(3000), "{\"a\":".repeat(3000), "- ".repeat(3000));

    private static final String[] NUMBERS = {"0", "-1", "1", "2", "3", "7", "64", "4096", "65536", "1048576", "1048577",
        "2147483647", "2147483648", "-2147483648", "1.5", "1e3", "1e999"};

    private Hostile() {}

    /** One generated case of a property. */
    @FunctionalInterface
    public interface Case {
        void check(Random random) throws Exception;
    }

    /**
     * Runs {@code property} {@code tries} times (or {@code -Dchase.fuzz.tries}), each with a
     * generator seeded from the base seed, the property's name and the try's number.
     */
    public static void forAll(String property, int tries, Case c) {
        int n = Integer.getInteger("chase.fuzz.tries", tries);
        for (int i = 0; i < n; i++) {
            long seed = BASE_SEED * 31 + property.hashCode() * 1_000_003L + i;
            try {
                c.check(new Random(seed));
            } catch (Throwable t) {
                throw new AssertionError(property + ": try " + i + " failed (generator seed " + seed + "): " + t.getMessage(), t);
            }
        }
    }

    /**
     * Random bytes (up to {@code maxRandom} long) one time in five, else a damaged copy of one of
     * the samples. Half of the damage lands within 32 bytes of a hot spot (an offset into the
     * sample: a header, a size field).
     */
    public static byte[] bytes(Random r, int maxRandom, List<byte[]> samples, int... hotSpots) {
        if (r.nextInt(5) == 0) {
            byte[] b = new byte[r.nextInt(maxRandom + 1)];
            r.nextBytes(b);
            return b;
        }
        byte[] b = samples.get(r.nextInt(samples.size())).clone();
        int damages = 1 + r.nextInt(4);
        for (int i = 0; i < damages; i++) {
            b = damage(r, b, hotSpots);
        }
        return b;
    }

    /** A damaged copy of one of the texts (JSON, YAML): byte damage, or tokens that parsers find hard spliced in. */
    public static String text(Random r, List<String> samples) {
        if (r.nextInt(3) == 0) {
            List<byte[]> raw = samples.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
            return new String(bytes(r, 200, raw), StandardCharsets.UTF_8);
        }
        String s = samples.get(r.nextInt(samples.size()));
        if (r.nextBoolean()) {
            // plausible damage: one number replaced, so the text still parses and the checks behind the parser are reached
            java.util.regex.Matcher numbers = java.util.regex.Pattern.compile("-?\\d+").matcher(s);
            List<int[]> spans = new ArrayList<>();
            while (numbers.find()) {
                spans.add(new int[] {numbers.start(), numbers.end()});
            }
            if (!spans.isEmpty()) {
                int[] span = spans.get(r.nextInt(spans.size()));
                return s.substring(0, span[0]) + NUMBERS[r.nextInt(NUMBERS.length)] + s.substring(span[1]);
            }
        }
        int splices = 1 + r.nextInt(3);
        for (int k = 0; k < splices; k++) {
            int i = s.isEmpty() ? 0 : r.nextInt(s.length());
            int j = Math.min(s.length(), i + r.nextInt(8));
            s = s.substring(0, i) + TOKENS.get(r.nextInt(TOKENS.size())) + s.substring(j);
        }
        return s;
    }

    private static byte[] damage(Random r, byte[] b, int[] hotSpots) {
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt()};
        }
        int pos = hotSpots.length > 0 && r.nextBoolean()
                ? Math.floorMod(hotSpots[r.nextInt(hotSpots.length)] + r.nextInt(64) - 32, b.length)
                : r.nextInt(b.length);
        int span = 1 + r.nextInt(64);
        switch (r.nextInt(8)) {
            case 0 -> b[pos] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[pos] = (byte) r.nextInt();
            case 2 -> put(b, pos, EXTREME_INTS[r.nextInt(EXTREME_INTS.length)], 4);
            case 3 -> put(b, pos, EXTREME_LONGS[r.nextInt(EXTREME_LONGS.length)], 8);
            case 4 -> b = Arrays.copyOf(b, pos);
            case 5 -> {
                int end = Math.min(b.length, pos + span);
                byte[] out = new byte[b.length - (end - pos)];
                System.arraycopy(b, 0, out, 0, pos);
                System.arraycopy(b, end, out, pos, b.length - end);
                b = out;
            }
            case 6 -> {
                int end = Math.min(b.length, pos + span);
                byte[] out = new byte[b.length + end - pos];
                System.arraycopy(b, 0, out, 0, end);
                System.arraycopy(b, pos, out, end, b.length - pos);
                b = out;
            }
            default -> {
                byte[] noise = new byte[span];
                r.nextBytes(noise);
                byte[] out = new byte[b.length + span];
                System.arraycopy(b, 0, out, 0, pos);
                System.arraycopy(noise, 0, out, pos, span);
                System.arraycopy(b, pos, out, pos + span, b.length - pos);
                b = out;
            }
        }
        return b;
    }

    /** Writes {@code value} big-endian over {@code width} bytes at {@code pos}, as far as the array reaches. */
    private static void put(byte[] b, int pos, long value, int width) {
        for (int i = 0; i < width && pos + i < b.length; i++) {
            b[pos + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
    }

    /** Offsets of every occurrence of {@code marker} in {@code data}: hot spots for {@link #bytes}. */
    public static int[] occurrences(byte[] data, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.UTF_8);
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i + m.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + m.length, m, 0, m.length)) {
                at.add(i);
            }
        }
        return at.stream().mapToInt(Integer::intValue).toArray();
    }

    /** What a reader does with a hostile input. */
    @FunctionalInterface
    public interface Reader<T> {
        T read() throws Exception;
    }

    /**
     * Counts how a property's inputs fared, so a test can insist that its generator produces both
     * inputs that are read and inputs that are refused (otherwise it tests little).
     */
    public static final class Tally {
        private final String property;
        private int read;
        private int refused;

        public Tally(String property) {
            this.property = property;
        }

        /** Checks that both outcomes occurred and prints the counts. */
        public void assertBothOutcomes() {
            System.out.printf("%s: %d inputs, %d read, %d refused with a ChaseException%n", property, read + refused, read, refused);
            assertThat(read).as(property + ": inputs read").isPositive();
            assertThat(refused).as(property + ": inputs refused").isPositive();
        }
    }

    /**
     * Runs {@code reader} on its own thread and returns its result, or null if it refused the input
     * with a {@link ChaseException}. Fails on any other exception, if it takes longer than
     * {@code seconds}, or if it allocates more than {@code maxHeapBytes} on the Java heap.
     *
     * @param input shown (shortened) when the test fails
     */
    public static <T> T read(Tally tally, byte[] input, double seconds, long maxHeapBytes, Reader<T> reader) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        long[] allocated = {0};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread worker = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                outcome.set(new Result(reader.read()));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        }, "hostile-input-reader");
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (worker.isAlive()) {
            worker.interrupt();
            throw new AssertionError("the reader hangs (over " + seconds + " s) on " + show(input));
        }
        if (allocated[0] > maxHeapBytes) {
            throw new AssertionError("the reader allocated " + allocated[0] + " bytes (limit " + maxHeapBytes + ") for "
                    + input.length + " bytes of input: " + show(input));
        }
        Object o = outcome.get();
        if (o instanceof ChaseException) {
            tally.refused++;
            return null;
        }
        if (o instanceof Throwable t) {
            throw new AssertionError("only a result or a ChaseException may come out, got " + t + " on " + show(input), t);
        }
        tally.read++;
        @SuppressWarnings("unchecked")
        T value = (T) ((Result) o).value();
        return value;
    }

    private record Result(Object value) {}

    /** The input in hex, shortened, for failure messages. */
    public static String show(byte[] input) {
        String hex = HexFormat.of().formatHex(input, 0, Math.min(input.length, 96));
        return input.length + " bytes [" + hex + (input.length > 96 ? "..." : "") + "]";
    }

    /** Deletes a folder tree (test clean-up between tries). */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
