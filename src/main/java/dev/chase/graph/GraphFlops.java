package dev.chase.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dense FLOPs per image of a {@link LayerGraph}, counted as docs/algorithm.md §7.2 counts them:
 * conv and linear layers only, 2 FLOPs per multiply-add plus 1 per bias addition. A conv with
 * {@code groups} reads in/groups channels per filter. Output sizes come from the graph's own shape
 * inference, so this count does not share code with {@code metrics.FlopCounter}, which follows a
 * built-in spec's layer list.
 */
public final class GraphFlops {
    /** One conv or linear node: output pixels per image, weights, dense FLOPs per image. */
    public record Layer(String name, long outputPixels, long weights, long flops) {}

    private GraphFlops() {}

    /** Every conv and linear node in graph order. */
    public static List<Layer> dense(LayerGraph graph) {
        Map<String, Shape> shapes = graph.shapes();
        List<Layer> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (n instanceof Node.Conv c) {
                Shape o = shapes.get(c.name());
                long pixels = (long) o.height() * o.width();
                long weights = (long) c.out() * (c.in() / c.groups()) * c.kernel() * c.kernel();
                out.add(new Layer(c.name(), pixels, weights, (2 * weights + (c.bias() ? c.out() : 0)) * pixels));
            } else if (n instanceof Node.Linear l) {
                long weights = (long) l.in() * l.out();
                out.add(new Layer(l.name(), 1, weights, 2 * weights + (l.bias() ? l.out() : 0)));
            }
        }
        return out;
    }
}
