package dev.chase.sparse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.chase.ManagedTest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small tensor helpers for the sparse tests (one manager per test, from {@link ManagedTest}). */
abstract class NdTest extends ManagedTest {
    protected NDArray floats(float... values) {
        return manager.create(values);
    }

    protected NDArray floats(Shape shape, float... values) {
        return manager.create(values, shape);
    }

    protected NDArray bools(boolean... values) {
        return manager.create(values);
    }

    /** A boolean tensor as 0/1 ints, for readable assertions. */
    protected static int[] bits(NDArray a) {
        return a.flatten().toType(DataType.INT32, false).toIntArray();
    }

    @SafeVarargs
    protected static <V> Map<String, V> map(Object... kv) {
        Map<String, V> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            V v = (V) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }
}
