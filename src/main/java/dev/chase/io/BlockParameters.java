package dev.chase.io;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves and loads all parameters of a DJL block (weights, biases, BatchNorm statistics) in DJL's
 * own stream format. Loading never lets DJL parse bytes it did not write for this very block: DJL's
 * loader trusts the sizes in the stream (a corrupt length allocates gigabytes, a corrupt shape
 * reads past the data), so the stream is first compared with the one the block itself produces.
 * Everything but the parameter values (block metadata, names, types, shapes, lengths) must match
 * byte for byte. Loading also restores gradient tracking (DJL's loader drops it).
 */
public final class BlockParameters {
    private BlockParameters() {}

    /** Writes every parameter of {@code block} to {@code out}. */
    public static void save(Block block, DataOutputStream out) throws IOException {
        block.saveParameters(out);
    }

    /**
     * Reads parameters written by {@link #save} into an initialised block of the same structure.
     * Consumes exactly the bytes of one parameter stream of this block from {@code in}.
     *
     * @param what names the source for error messages
     * @throws ChaseException if the stream is not one of this block's parameter streams
     */
    public static void load(Block block, NDManager manager, DataInputStream in, String what) throws IOException {
        Layout layout = Layout.of(block);
        byte[] bytes = in.readNBytes(layout.template.length);
        String mismatch = layout.mismatch(bytes);
        if (mismatch != null) {
            throw new ChaseException(what + " does not match this model: " + mismatch
                    + " (the file is corrupt or belongs to another network)");
        }
        try {
            block.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (MalformedModelException | RuntimeException e) {
            throw new ChaseException(what + " does not match this model: " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
        }
    }

    /**
     * The parameter stream of a block with the current values, and where in it the values lie
     * (the only bytes a stream of the same block may differ in).
     */
    private record Layout(byte[] template, List<long[]> values) {
        static Layout of(Block block) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            block.saveParameters(out);
            out.flush();
            byte[] template = buffer.toByteArray();
            List<long[]> values = new ArrayList<>();
            int cursor = 0;
            // parameters are written in getParameters() order, each as DJL's encoding of its array
            // (header, then the raw values last)
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                byte[] encoded = array.encode();
                int valueBytes = Math.toIntExact(array.size() * array.getDataType().getNumOfBytes());
                int at = indexOf(template, encoded, encoded.length - valueBytes, cursor);
                if (at < 0) {
                    throw new IllegalStateException("parameter " + p.getKey() + " is not where DJL's stream format puts it");
                }
                cursor = at + encoded.length;
                values.add(new long[] {cursor - valueBytes, cursor});
            }
            return new Layout(template, values);
        }

        /** Why {@code bytes} is not a stream of this block, or null if it is one. */
        String mismatch(byte[] bytes) {
            if (bytes.length != template.length) {
                return "its parameters end after " + bytes.length + " bytes, this model's take " + template.length;
            }
            int from = 0;
            for (long[] v : values) {
                int differs = firstDifference(bytes, template, from, (int) v[0]);
                if (differs >= 0) {
                    return "the parameter layout differs at byte " + differs;
                }
                from = (int) v[1];
            }
            int differs = firstDifference(bytes, template, from, template.length);
            return differs >= 0 ? "the parameter layout differs at byte " + differs : null;
        }

        private static int firstDifference(byte[] a, byte[] b, int from, int to) {
            int i = java.util.Arrays.mismatch(a, from, to, b, from, to);
            return i < 0 ? -1 : from + i;
        }

        /** First position at or after {@code from} where the first {@code len} bytes of {@code needle} occur. */
        private static int indexOf(byte[] hay, byte[] needle, int len, int from) {
            for (int i = from; i + needle.length <= hay.length; i++) {
                if (java.util.Arrays.equals(hay, i, i + len, needle, 0, len)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
