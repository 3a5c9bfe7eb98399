package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with heavy-ball momentum and L2 weight decay, with PyTorch's update
 * rule ({@code buf = mu*buf + (g + wd*w); w -= lr*buf}, no Nesterov).
 *
 * <p>We own the momentum buffers (DJL's built-in optimizer hides them) so that checkpoints can
 * hold them and sparse training can keep momentum at masked positions at zero.
 */
public class Sgd {
    private final double momentum;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    /**
     * @param manager owns the momentum buffers; closing it frees them
     */
    public Sgd(NDManager manager, double momentum, double weightDecay) {
        if (momentum < 0 || momentum >= 1) {
            throw new dev.chase.ChaseException("momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new dev.chase.ChaseException("weight decay must be >= 0, got " + weightDecay);
        }
        this.manager = manager;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /**
     * Updates every trainable parameter in place from its gradient, then clears the gradients.
     *
     * @param params parameters keyed by a stable name (the same names key the momentum buffers)
     */
    public void step(Map<String, Parameter> params, double lr) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Parameter p = e.getValue();
            if (!p.requiresGradient()) {
                continue;
            }
            NDArray w = p.getArray();
            // getGradient() returns a new handle on the shared gradient: close it, not the gradient.
            try (NDArray g = w.getGradient()) {
                update(e.getKey(), w, g, lr);
                g.subi(g);
            }
        }
    }

    private void update(String name, NDArray w, NDArray g, double lr) {
        NDArray buf = buffers.computeIfAbsent(name, k -> {
            NDArray z = manager.zeros(w.getShape(), w.getDataType());
            z.setName(k);
            return z;
        });
        buf.muli((float) momentum).addi(g);
        if (weightDecay != 0) {
            try (NDArray decay = w.mul((float) weightDecay)) {
                buf.addi(decay);
            }
        }
        try (NDArray delta = buf.mul((float) lr)) {
            w.subi(delta);
        }
    }

    /** The momentum buffer of a parameter, or null before its first update. */
    public NDArray buffer(String name) {
        return buffers.get(name);
    }

    /** All momentum buffers by parameter name (read-only view), for checkpoints. */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /**
     * Replaces the momentum state with copies of {@code saved} (from a checkpoint, or the current
     * buffers sliced for a narrower network; {@code saved} may hold the current buffers themselves).
     */
    public void restore(Map<String, NDArray> saved) {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        saved.forEach((name, arr) -> {
            NDArray copy = arr.duplicate();
            copy.attach(manager);
            copies.put(name, copy);
        });
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        buffers.putAll(copies);
    }
}
