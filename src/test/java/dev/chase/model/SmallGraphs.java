package dev.chase.model;

import dev.chase.graph.ChannelGroup;
import dev.chase.graph.LayerGraph;
import dev.chase.graph.Node;
import dev.chase.graph.OnnxImport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The graph architectures of the tests, small enough to run many times: the graph models and the ONNX fixtures. */
public final class SmallGraphs {
    private SmallGraphs() {}

    /** Every graph model, then {@code onnx:NAME} for every importable fixture. */
    public static Stream<String> names() {
        return Stream.concat(GraphModels.names().stream(),
                Stream.of("onnx:resnet18", "onnx:mobilenet_v2", "onnx:mobilenet_v3_small", "onnx:efficientnet_b0",
                        "onnx:densenet121", "onnx:regnet_x_400mf"));
    }

    /**
     * A graph model at a small width, or an ONNX fixture (exported for 32x32 images) on a 64x64
     * input with every prunable group at a quarter of its width (whole blocks, at least two, for a
     * group of blocks).
     */
    public static NetSpec spec(String name) {
        if (!name.startsWith("onnx:")) {
            return NetSpecs.named(name, 3, 10, name.equals("wrn-28-10") ? 0.05 : 0.25);
        }
        LayerGraph graph = OnnxImport.read(Path.of("src/test/resources/onnx", name.substring(5) + ".onnx"));
        List<Node> nodes = new ArrayList<>(graph.nodes());
        Node.Input in = (Node.Input) nodes.get(0);
        nodes.set(0, new Node.Input(in.name(), in.channels(), 64, 64));
        GraphSpec full = new GraphSpec(WeightInit.PYTORCH_DEFAULT, new LayerGraph(nodes));
        Map<String, Integer> quarter = new LinkedHashMap<>();
        full.channelGroups().stream().filter(g -> g.kind() != ChannelGroup.Kind.FIXED)
                .forEach(g -> quarter.put(g.name(), g.block() == 1 ? Math.max(2, g.width() / 4)
                        : Math.max(2, Math.round(g.width() / 4f / g.block())) * g.block()));
        return full.withGroupWidths(quarter);
    }
}
