package dev.chase.metrics;

import dev.chase.ChaseException;
import dev.chase.model.NetSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Predicted forward latency (milliseconds per batch of the table's batch size) of an
 * architecture and of any narrower version of it: the sum over its conv and linear layers of the
 * {@link LatencyTable}'s timing at the layer's (input, output) channels, bilinearly interpolated
 * ({@link BilinearGrid}: made monotone, extended linearly below the smallest measured width).
 */
public final class LatencyModel implements CostModel {
    private final LatencyTable table;
    private final Map<String, BilinearGrid> grids = new LinkedHashMap<>();

    /**
     * @param table the measured table
     * @param original the architecture it must describe: every conv and linear layer needs an entry
     *     of the same name, widths and input side
     * @throws ChaseException if the table was measured for another architecture
     */
    public LatencyModel(LatencyTable table, NetSpec original) {
        this.table = table;
        Map<String, LatencyTable.Entry> entries = new LinkedHashMap<>();
        table.layers().forEach(e -> entries.put(e.name(), e));
        for (LayerShape layer : FlopCounter.shapes(original)) {
            LatencyTable.Entry e = entries.get(layer.name());
            if (e == null || e.in() != layer.in() || e.out() != layer.out() || e.inputSide() != layer.inputSide()) {
                throw new ChaseException("the latency table of " + table.key().model() + " (width " + table.key().width()
                        + ") does not describe this network: layer " + layer.name() + " (" + layer.in() + " -> " + layer.out()
                        + " channels at " + layer.inputSide() + "x" + layer.inputSide() + ") "
                        + (e == null ? "is missing" : "was measured as " + e.in() + " -> " + e.out() + " at " + e.inputSide()
                                + "x" + e.inputSide()) + "; profile this network with chase profile-latency");
            }
            try {
                grids.put(e.name(), new BilinearGrid(e.inGrid(), e.outGrid(), e.millis()));
            } catch (IllegalArgumentException bad) {
                throw new ChaseException("the latency table's entry for " + e.name() + " is corrupt: " + bad.getMessage());
            }
        }
    }

    /** The table this model interpolates. */
    public LatencyTable table() {
        return table;
    }

    /** Predicted milliseconds per batch of one layer at its (possibly narrower) channel counts. */
    @Override
    public double layerCost(LayerShape layer) {
        BilinearGrid grid = grids.get(layer.name());
        if (grid == null) {
            throw new IllegalArgumentException("no latency entry for layer " + layer.name());
        }
        return grid.at(layer.in(), layer.out());
    }
}
