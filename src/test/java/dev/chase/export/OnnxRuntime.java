package dev.chase.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an ONNX model with ONNX Runtime (one thread) on a float batch and returns its logits. */
public final class OnnxRuntime {
    private OnnxRuntime() {}

    /**
     * @param model the serialised model
     * @param input the batch, row-major
     * @param shape the batch's shape (N, C, H, W)
     * @return logits, (N, classes)
     */
    public static float[][] logits(byte[] model, float[] input, long[] shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                    OrtSession.Result result = session.run(Map.of(OnnxWriter.INPUT, x))) {
                return (float[][]) result.get(OnnxWriter.OUTPUT).orElseThrow().getValue();
            }
        }
    }
}
