package dev.chase.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.chase.channel.Shrinker;
import dev.chase.data.DataBundle;
import dev.chase.data.DataCatalog;
import java.nio.file.Path;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebugShrinkTest {
    @TempDir Path tmp;

    static TrainConfig config(boolean shrink) {
        return TrainConfig.defaults().with("model", System.getProperty("dbg.model", "resnet20"), "width", 0.25, "dataset", "synthetic", "epochs", 2,
                "batch-size", 100, "lr", Double.parseDouble(System.getProperty("dbg.lr", "0.02")), "lr-schedule", "cosine", "method", "chase", "update-interval", 5,
                "soft-bound-end", 1, "final-phase", false, "channel-interval", 20, "channel-end", 2, "channel-sparsity", 0.5,
                "prune-skip", false, "shrink-during-training", shrink);
    }

    static List<Map<String, float[]>> record(TrainingRun run, boolean masked) {
        List<Map<String, float[]>> out = new ArrayList<>();
        run.train(2, new TrainListener() {
            @Override public void onBatch(int epoch, int batch, int batches, double loss, double ips) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Map<String, float[]> ws = new LinkedHashMap<>();
                    Shrinker s = masked ? Shrinker.of(run.network(), run.sparse().channels().keptPositions()) : null;
                    for (var p : run.network().block().getParameters()) {
                        NDArray wt = p.getValue().getArray();
                        if (masked) { wt = s.slice(p.getValue(), wt, m); }
                        ws.put(p.getKey(), wt.toFloatArray());
                    }
                    out.add(ws);
                }
            }
        });
        return out;
    }

    @Test
    void debug() {
        DataBundle data = DataCatalog.open("synthetic", null, false);
        try (TrainingRun a = TrainingRun.create(tmp.resolve("a"), config(false), data);
             TrainingRun b = TrainingRun.create(tmp.resolve("b"), config(true), data)) {
            var ra = record(a, true);
            var rb = record(b, false);
            for (int i = 0; i < ra.size(); i++) {
                double wd = 0; String where = "";
                for (String n : ra.get(i).keySet()) {
                    float[] u = ra.get(i).get(n), v = rb.get(i).get(n);
                    if (u.length != v.length) { System.out.println("len " + n); continue; }
                    double scale = 0; for (float q : u) scale = Math.max(scale, Math.abs(q));
                    for (int k = 0; k < u.length; k++) { double d = Math.abs(u[k]-v[k]) / Math.max(scale, 1e-12); if (d > wd) { wd = d; where = n + " scale " + scale; } }
                }
                System.out.println("step " + (i+1) + " max diff " + wd + " at " + where);
            }
        }
    }
}
