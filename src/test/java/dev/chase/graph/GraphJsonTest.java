package dev.chase.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.graph.Node.Activation;
import dev.chase.model.NetSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A graph survives JSON unchanged, and a bad graph file is one clear message. */
class GraphJsonTest {
    @TempDir
    Path tmp;

    /** One node of every kind: a stem, an SE-gated depthwise block with a residual add, a concat, the head. */
    static LayerGraph everyKind() {
        return new LayerGraph(List.of(new Node.Input("x", 3, 16, 16),
                new Node.Conv("stem", "x", 3, 8, 3, 1, 1, 1, 1, false), new Node.Norm("stem.bn", "stem"),
                new Node.Act("stem.act", "stem.bn", Activation.HARD_SWISH),
                new Node.Conv("dw", "stem.act", 8, 8, 3, 1, 2, 2, 8, false), new Node.Act("dw.act", "dw", Activation.RELU6),
                new Node.GlobalAvgPool("squeeze", "dw.act"), new Node.Conv("excite", "squeeze", 8, 8, 1, 1, 0, 1, 1, true),
                new Node.Act("gate", "excite", Activation.HARD_SIGMOID), new Node.Mul("se", "dw.act", "gate"),
                new Node.Add("sum", List.of("se", "stem.act")), new Node.Act("silu", "sum", Activation.SILU),
                new Node.Concat("cat", List.of("silu", "stem")), new Node.Pool("pool", "cat", true, 2, 2, 0),
                new Node.Act("sig", "pool", Activation.SIGMOID), new Node.Act("relu", "sig", Activation.RELU),
                new Node.Flatten("flat", "relu"), new Node.Dropout("drop", "flat", 0.2),
                new Node.Linear("fc", "drop", 16 * 8 * 8, 10, true)));
    }

    @Test
    void everyNodeKindAndEveryBuiltInGraphRoundTrip() {
        LayerGraph g = everyKind();
        String json = GraphJson.toJson(g);
        assertThat(json).contains("\"op\" : \"mul\"").contains("\"kind\" : \"hard_sigmoid\"").doesNotContain("depthwise");
        assertThat(GraphJson.fromJson(json, "test")).isEqualTo(g);
        for (String model : NetSpecs.names()) {
            LayerGraph builtIn = NetSpecs.named(model, 3, 10, 0.25).graph();
            assertThat(GraphJson.fromJson(GraphJson.toJson(builtIn), model)).as(model).isEqualTo(builtIn);
        }
    }

    @Test
    void aHandWrittenFileReadsAndItsMistakesAreNamed() throws IOException {
        Path file = tmp.resolve("net.json");
        Files.writeString(file, """
                {"nodes": [
                  {"op": "input", "name": "x", "channels": 1, "height": 8, "width": 8},
                  {"op": "conv", "name": "c", "input": "x", "in": 1, "out": 4, "kernel": 3, "stride": 1, "padding": 1,
                   "dilation": 1, "groups": 1, "bias": false},
                  {"op": "global_avg_pool", "name": "gap", "input": "c"},
                  {"op": "linear", "name": "fc", "input": "gap", "in": 4, "out": 2, "bias": true}
                ]}""");
        assertThat(GraphJson.read(file).shapes()).containsEntry("fc", new Shape(2, 1, 1));

        String good = Files.readString(file);
        assertRefused(good.replace("\"in\": 4", "\"in\": 5"), "graph file %s: linear fc expects 5 inputs, gap gives 4");
        assertRefused(good.replace("\"global_avg_pool\"", "\"avg\""), "graph file %s is malformed (line 5, column 10): "
                + "Could not resolve type id 'avg'");
        assertRefused(good.replace("\"dilation\": 1, ", ""), "graph file %s is malformed (line 4, column 30): Missing creator property 'dilation'");
        assertRefused(good.replace("\"bias\": true", "\"bias\": true, \"activation\": \"relu\""), "graph file %s: unknown key 'activation'");
        assertRefused(good.replace("\"input\": \"gap\"", "\"input\": null"), "graph file %s is malformed (line 6, column 80): Null value for creator property 'input'");
        assertRefused("{\"nodes\": [", "graph file %s is malformed");
        assertThatThrownBy(() -> GraphJson.read(tmp.resolve("none.json"))).isInstanceOf(ChaseException.class)
                .hasMessage("graph file " + tmp.resolve("none.json") + " does not exist");
    }

    private void assertRefused(String json, String messageStart) throws IOException {
        Path file = tmp.resolve("bad.json");
        Files.writeString(file, json);
        assertThatThrownBy(() -> GraphJson.read(file)).isInstanceOf(ChaseException.class)
                .hasMessageStartingWith(messageStart.formatted(file)).hasMessageNotContaining("Exception");
    }
}
