package dev.chase.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.chase.ChaseException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Decodes one tensor in DJL's encoding ({@code NDArray.encode()}) only after checking it. DJL's
 * decoder believes the sizes it reads: a corrupt dimension count or data length allocates up to
 * gigabytes, and a shape larger than the data makes the engine read past it. Here every field is
 * checked against the bytes actually present first: known format version and data type, at most
 * {@value #MAX_DIMS} non-negative dimensions, and a data length equal to the shape's element count
 * times the type's size and to the bytes that remain.
 */
public final class EncodedTensor {
    /** More dimensions than any tensor of a CNN has. */
    public static final int MAX_DIMS = 8;

    /** Numeric types and their sizes in bytes (DJL's names). */
    private static final Map<String, Integer> TYPE_SIZES = Map.of("FLOAT32", 4, "FLOAT64", 8, "FLOAT16", 2, "INT8", 1,
            "UINT8", 1, "INT32", 4, "INT64", 8, "BOOLEAN", 1);

    private EncodedTensor() {}

    /**
     * Decodes {@code bytes} into {@code manager}.
     *
     * @param what names the tensor for error messages
     * @throws ChaseException if the bytes are not one well-formed tensor
     */
    public static NDArray decode(NDManager manager, byte[] bytes, String what) {
        String problem = problem(bytes);
        if (problem != null) {
            throw new ChaseException(what + " is malformed: " + problem);
        }
        try {
            return manager.decode(bytes);
        } catch (RuntimeException e) {
            throw new ChaseException(what + " is malformed: " + e.getMessage(), e);
        }
    }

    /** What is wrong with {@code bytes}, or null if DJL can decode them safely. */
    private static String problem(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (!"NDAR".equals(in.readUTF())) {
                return "no tensor marker";
            }
            int version = in.readInt();
            if (version < 1 || version > 3) {
                return "unknown tensor format version " + version;
            }
            if (version > 1 && in.readByte() == 1) {
                in.readUTF(); // the tensor's name
            }
            in.readUTF(); // sparse format, ignored by DJL's decoder
            String type = in.readUTF();
            Integer typeSize = TYPE_SIZES.get(type);
            if (typeSize == null) {
                return "unsupported data type '" + type + "'";
            }
            int dims = in.readInt();
            if (dims < 0 || dims > MAX_DIMS) {
                return "implausible dimension count " + dims;
            }
            long[] shape = new long[dims];
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                shape[d] = in.readLong();
                if (shape[d] < 0 || shape[d] > bytes.length) {
                    return "implausible dimension " + shape[d];
                }
                elements *= shape[d]; // each factor is at most the byte count, but the product may still grow
                if (elements > bytes.length) {
                    return "shape " + new Shape(shape) + " needs more data than the tensor holds";
                }
            }
            int layout = in.readInt();
            if (layout != 0 && layout != dims) {
                return "a layout of " + layout + " axes for " + dims + " dimensions";
            }
            for (int i = 0; i < layout; i++) {
                in.readChar();
            }
            if (version > 2) {
                in.readByte(); // byte order
            }
            int length = in.readInt();
            if (length != elements * typeSize) {
                return "data length " + length + " does not fit shape " + new Shape(shape) + " of " + type;
            }
            if (in.available() != length) {
                return "it holds " + in.available() + " data bytes, its header says " + length;
            }
            return null;
        } catch (IOException e) {
            return "it ends early or holds invalid text";
        }
    }
}
