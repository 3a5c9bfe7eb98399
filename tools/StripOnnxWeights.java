import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Clears the values of every ONNX initializer with more than 16 elements, keeping its name, type
 * and dims, so that an architecture's file is a few KB; small ones (Clip bounds, shapes) keep their
 * values. For test fixtures only: the result is an ONNX graph whose weights have no data.
 * Usage: java -cp "target/lib/*" tools/StripOnnxWeights.java IN.onnx OUT.onnx SOURCE_NOTE
 */
public class StripOnnxWeights {
    public static void main(String[] args) throws Exception {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(Path.of(args[0])));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            TensorProto t = graph.getInitializer(i);
            long size = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
            if (size > 16) {
                graph.setInitializer(i, t.toBuilder().clearRawData().clearFloatData().clearInt64Data().build());
            }
        }
        ModelProto stripped = model.toBuilder().setGraph(graph).setDocString(args[2] + "; weights stripped (dims kept)")
                .build();
        Files.write(Path.of(args[1]), stripped.toByteArray());
    }
}
