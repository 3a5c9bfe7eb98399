package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chase.io.Json;
import dev.chase.model.Network;
import dev.chase.model.SavedModel;
import dev.chase.report.RunSummary;
import dev.chase.run.EpochMetrics;
import dev.chase.run.RunDirectory;
import dev.chase.run.SparsityMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code summary.json} and {@code report.html} written by {@code chase train}, {@code bench} and
 * {@code report}, and {@code chase compare}, on a tiny finished Chase run and a tiny unfinished
 * dense run. There is no browser here: the pages are checked by parsing them and decoding every
 * embedded image.
 */
class ReportAndCompareTest {
    private static final List<String> SECTIONS = List.of("summary", "curves", "training-speed", "sparsity", "widths", "flops", "channels", "config");

    @TempDir
    static Path tmp;

    static Path chase;
    static Path dense;
    static String chaseTrainOutput;

    @BeforeAll
    static void trainTinyRuns() {
        chase = tmp.resolve("chase");
        CliRunner r = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--batch-size", "100", "--method", "chase", "--update-interval", "10", "--channel-interval", "10",
                "--soft-bound-end", "1", "--run-dir", chase.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        chaseTrainOutput = r.out();
        dense = tmp.resolve("dense");
        CliRunner d = CliRunner.run("train", "--model", "resnet20", "--width", "0.25", "--dataset", "synthetic", "--epochs", "2",
                "--until-epoch", "1", "--batch-size", "100", "--run-dir", dense.toString());
        assertThat(d.exitCode()).as(d.err()).isZero();
    }

    private static JsonNode json(Path file) throws IOException {
        return Json.MAPPER.readTree(file.toFile());
    }

    private static Document page(Path file) throws IOException {
        return Jsoup.parse(Files.readString(file));
    }

    /** Every image is an embedded PNG that decodes; nothing refers outside the page; no scripts. */
    private static List<BufferedImage> checkSelfContained(Document doc) throws IOException {
        assertThat(doc.select("script, link, iframe, object, embed, base")).isEmpty();
        assertThat(doc.select("[href]")).isEmpty();
        assertThat(doc.select("[style]")).isEmpty();
        assertThat(doc.select("style").html()).doesNotContain("url(").doesNotContain("@import");
        List<BufferedImage> images = new ArrayList<>();
        for (Element img : doc.select("img")) {
            String src = img.attr("src");
            assertThat(src).startsWith("data:image/png;base64,");
            byte[] png = Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(img.attr("alt")).isNotNull();
            assertThat(img.attr("alt")).isNotBlank();
            images.add(image);
        }
        for (Element e : doc.getAllElements()) {
            e.attributes().forEach(a -> assertThat(a.getValue()).as(a.getKey()).doesNotContain("http:").doesNotContain("https:")
                    .doesNotContain("file:"));
        }
        return images;
    }

    @Test
    void trainWritesASummaryThatAgreesWithTheRunsFiles() throws IOException {
        assertThat(chaseTrainOutput).contains("report: " + chase.resolve("report.html"));
        JsonNode s = json(chase.resolve("summary.json"));
        assertThat(s.get("format-version").asInt()).isEqualTo(RunSummary.FORMAT_VERSION);
        assertThat(s.get("config").get("method").asText()).isEqualTo("chase");
        assertThat(s.get("finished").asBoolean()).isTrue();
        assertThat(s.get("epochs").asInt()).isEqualTo(2);

        List<EpochMetrics> metrics = RunDirectory.open(chase).readMetrics();
        EpochMetrics last = metrics.get(1);
        JsonNode a = s.get("accuracy");
        assertThat(a.get("final-test").asDouble()).isEqualTo(last.testAccuracy());
        assertThat(a.get("final-epoch").asInt()).isEqualTo(2);
        EpochMetrics best = metrics.get(0).testAccuracy() >= last.testAccuracy() ? metrics.get(0) : last;
        assertThat(a.get("best-test").asDouble()).isEqualTo(best.testAccuracy());
        assertThat(a.get("best-epoch").asInt()).isEqualTo(best.epoch());
        assertThat(s.get("training-seconds").asDouble()).isCloseTo(metrics.get(0).epochSeconds() + last.epochSeconds(), within(1e-9));

        SparsityMetrics sp = last.sparsity();
        JsonNode sparsity = s.get("sparsity");
        assertThat(sparsity.get("density").asDouble()).isEqualTo(sp.density());
        assertThat(sparsity.get("live-density").asDouble()).isEqualTo(sp.liveDensity()).isGreaterThan(sp.density());
        assertThat(sparsity.get("channel-sparsity").asDouble()).isEqualTo(sp.channels().prunable()).isGreaterThan(0);
        assertThat(sparsity.get("channel-sparsity-all-convs").asDouble()).isEqualTo(sp.channels().allConvs())
                .isLessThan(sp.channels().prunable());

        // the FLOPs are those chase flops counts
        assertThat(CliRunner.run("flops", chase.toString()).exitCode()).isZero();
        JsonNode flops = json(chase.resolve("flops.json"));
        JsonNode f = s.get("flops");
        for (String key : List.of("dense", "sparse", "slim", "sparse-fraction", "slim-fraction")) {
            assertThat(f.get(key).asDouble()).as(key).isEqualTo(flops.get("test").get(key).asDouble());
        }
        assertThat(f.get("training-fraction").asDouble()).isEqualTo(flops.get("training").get("fraction").asDouble());
        assertThat(f.get("slim-fraction").asDouble()).isLessThan(1);

        JsonNode shrink = json(chase.resolve("shrink.json"));
        JsonNode p = s.get("parameters");
        long weights = 0;
        for (var w : Network.build(SavedModel.spec(chase.resolve("model"))).maskableWeights()) {
            weights += w.size();
        }
        assertThat(p.get("dense-weights").asLong()).isEqualTo(weights).isEqualTo(shrink.get("dense-weights").asLong());
        assertThat(p.get("slim-weights").asLong()).isEqualTo(shrink.get("slim-weights").asLong()).isLessThan(weights);
        assertThat(p.get("non-zeros").asLong()).isPositive().isLessThanOrEqualTo(sp.nonZeros());
        assertThat(s.get("shrink").get("recalibrated-test-accuracy").asDouble())
                .isEqualTo(shrink.get("recalibrated-test-accuracy").asDouble());
        assertThat(s.get("shrink").get("widths-after")).isEqualTo(shrink.get("widths-after"));
    }

    @Test
    void theReportHasEverySectionAndOnlyEmbeddedPngs() throws IOException {
        Path copy = copyRun(chase, tmp.resolve("for-bench"));
        assertThat(CliRunner.run("report", copy.toString()).exitCode()).isZero();
        Document before = page(copy.resolve("report.html"));
        for (String id : SECTIONS) {
            assertThat(before.getElementById(id)).as(id).isNotNull();
        }
        // accuracy, loss per epoch and per step, training throughput, density, widths, amenable channels
        List<BufferedImage> images = checkSelfContained(before);
        assertThat(images).hasSize(7);
        assertThat(images.get(0).getWidth()).isEqualTo(900);
        assertThat(before.getElementById("curves").select("img")).hasSize(3);
        assertThat(before.getElementById("curves").select("img").get(2).attr("alt")).contains("training loss of every step");
        assertThat(before.getElementById("widths").select("img")).hasSize(1);
        assertThat(before.getElementById("training-speed").select("img")).hasSize(1);
        assertThat(before.getElementById("training-speed").text()).contains("shrinks after every channel event");
        assertThat(before.getElementById("channels").select("img")).hasSize(1);
        assertThat(before.getElementById("flops").text()).contains("dense-of-slim")
                .contains("Throughput not measured yet; measure it with: chase bench " + copy);
        assertThat(before.getElementById("config").text()).contains("channel-sparsity").contains("resnet20");

        CliRunner bench = CliRunner.run("bench", "--batch-sizes", "1,128", "--warmup", "0", "--repeats", "2", "--threads", "1",
                copy.toString());
        assertThat(bench.exitCode()).as(bench.err()).isZero();
        assertThat(bench.out()).contains("realised").contains("report: " + copy.resolve("report.html"));
        JsonNode s = json(copy.resolve("summary.json"));
        assertThat(s.get("bench")).isEqualTo(json(copy.resolve("bench.json")));
        Document after = page(copy.resolve("report.html"));
        Element flops = after.getElementById("flops");
        assertThat(flops.text()).doesNotContain("not measured").contains("1 threads");
        // FLOPs table, then the throughput table: 2 batch sizes x dense, masked, shrunk
        assertThat(flops.select("table")).hasSize(2);
        assertThat(flops.select("table").get(1).select("tr")).hasSize(1 + 6);
        assertThat(flops.select("table").get(1).text()).contains("shrunk");
        checkSelfContained(after);

        CliRunner compare = CliRunner.run("compare", "--out", tmp.resolve("cmp").toString(), copy.toString(), dense.toString());
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        JsonNode rows = json(tmp.resolve("cmp/compare.json")).get("runs");
        JsonNode c = rows.get(0);
        JsonNode measured = null;
        for (JsonNode r : s.get("bench").get("results")) {
            if (r.get("batch-size").asInt() == 128 && r.get("network").asText().equals("shrunk")) {
                measured = r;
            }
        }
        assertThat(c.get("network").asText()).isEqualTo("shrunk");
        assertThat(c.get("images-per-second").asDouble()).isEqualTo(measured.get("images-per-second").asDouble());
        assertThat(c.get("speedup").asDouble()).isEqualTo(measured.get("speedup").asDouble());
        assertThat(c.get("threads").asInt()).isEqualTo(1);
        assertThat(compare.out()).contains(String.format(java.util.Locale.ROOT, "%.1f (shrunk, %.2fx)",
                measured.get("images-per-second").asDouble(), measured.get("speedup").asDouble()));
        Document html = page(tmp.resolve("cmp/compare.html"));
        // both charts now have a dot: the FLOPs one only the finished Chase run, the throughput one only it too
        assertThat(checkSelfContained(html)).hasSize(2);
        assertThat(tmp.resolve("cmp/compare-accuracy-throughput.png")).exists();
    }

    @Test
    void reportOfAnUnfinishedDenseRun() throws IOException {
        JsonNode s = json(dense.resolve("summary.json"));
        assertThat(s.get("finished").asBoolean()).isFalse();
        assertThat(s.has("flops")).isFalse();
        assertThat(s.has("sparsity")).isFalse();
        assertThat(s.has("bench")).isFalse();
        Document doc = page(dense.resolve("report.html"));
        assertThat(doc.selectFirst("p.sub").text()).contains("unfinished: epoch 1 of 2").contains("chase train --resume " + dense);
        assertThat(doc.getElementById("flops").text()).contains("FLOPs are counted once the run has finished");
        assertThat(doc.getElementById("channels").text()).contains("Dense training has no masks");
        assertThat(doc.getElementById("sparsity").select("img")).isEmpty();
        // accuracy, loss per epoch and per step, training throughput only
        assertThat(checkSelfContained(doc)).hasSize(4);
        assertThat(doc.getElementById("training-speed").text()).doesNotContain("channel");
    }

    @Test
    void compareWritesTableJsonChartsAndPage() throws IOException {
        Path out = tmp.resolve("compare");
        CliRunner r = CliRunner.run("compare", "--out", out.toString(), chase.toString(), dense.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("S_c").contains("prune").contains("not measured (chase bench " + dense + ")")
                .contains("unfinished").contains("wrote " + out.resolve("compare.json"));
        JsonNode rows = json(out.resolve("compare.json")).get("runs");
        assertThat(rows).hasSize(2);
        JsonNode summary = json(chase.resolve("summary.json"));
        JsonNode c = rows.get(0);
        assertThat(c.get("run").asText()).isEqualTo(chase.toString());
        assertThat(c.get("label").asText()).isEqualTo("chase");
        assertThat(c.get("method").asText()).isEqualTo("chase");
        assertThat(c.get("prune-skip").asBoolean()).isFalse();
        assertThat(c.get("budget").asText()).isEqualTo("S_c 0.5");
        assertThat(c.get("density").asDouble()).isEqualTo(summary.get("sparsity").get("density").asDouble());
        assertThat(c.get("channel-sparsity").asDouble()).isEqualTo(summary.get("sparsity").get("channel-sparsity").asDouble());
        assertThat(c.get("final-test-accuracy").asDouble()).isEqualTo(summary.get("accuracy").get("final-test").asDouble());
        assertThat(c.get("slim-fraction").asDouble()).isEqualTo(summary.get("flops").get("slim-fraction").asDouble());
        assertThat(c.has("images-per-second")).isFalse();
        JsonNode d = rows.get(1);
        assertThat(d.get("density").asDouble()).isEqualTo(1.0);
        assertThat(d.get("network").asText()).isEqualTo("dense");
        assertThat(d.has("slim-fraction")).isFalse();
        assertThat(d.has("budget")).isFalse();

        // the FLOPs chart has the finished run's dot; no run has a measured throughput
        BufferedImage chart = ImageIO.read(out.resolve("compare-accuracy-flops.png").toFile());
        assertThat(chart.getWidth()).isEqualTo(900);
        assertThat(out.resolve("compare-accuracy-throughput.png")).doesNotExist();
        Document html = page(out.resolve("compare.html"));
        assertThat(checkSelfContained(html)).hasSize(1);
        assertThat(html.select("table tr")).hasSize(3);
        assertThat(html.getElementById("accuracy-throughput").text()).contains("chase bench RUN_DIR");
    }

    @Test
    void compareRewritesMissingSummariesAndRefusesNewerOnes() throws IOException {
        Path copy = copyRun(chase, tmp.resolve("newer"));
        Files.delete(copy.resolve("summary.json"));
        Files.delete(copy.resolve("report.html"));
        Path out = tmp.resolve("cmp-missing");
        CliRunner again = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(copy.resolve("summary.json")).exists();
        assertThat(copy.resolve("report.html")).exists();

        // compare takes the numbers from summary.json ...
        ObjectNode edited = (ObjectNode) json(copy.resolve("summary.json"));
        ((ObjectNode) edited.get("accuracy")).put("final-test", 0.1234);
        Files.writeString(copy.resolve("summary.json"), Json.writePretty(edited));
        Files.setLastModifiedTime(copy.resolve("summary.json"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        CliRunner fromFile = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(fromFile.out()).contains("12.34%");
        // ... until a file it is derived from is newer
        Files.setLastModifiedTime(copy.resolve("metrics.jsonl"), FileTime.fromMillis(System.currentTimeMillis() + 120_000));
        CliRunner rewritten = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(rewritten.out()).doesNotContain("12.34%")
                .contains(String.format(java.util.Locale.ROOT, "%.2f%%", 100 * json(chase.resolve("summary.json")).get("accuracy")
                        .get("final-test").asDouble()));

        ObjectNode future = (ObjectNode) json(copy.resolve("summary.json"));
        future.put("format-version", RunSummary.FORMAT_VERSION + 1);
        future.put("something-new", true);
        Files.writeString(copy.resolve("summary.json"), Json.writePretty(future));
        CliRunner refused = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("was written by a newer chase (summary format " + (RunSummary.FORMAT_VERSION + 1))
                .contains("chase report " + copy).doesNotContain("Exception");
        // left as it was
        assertThat(json(copy.resolve("summary.json")).get("something-new").asBoolean()).isTrue();

        Files.writeString(copy.resolve("summary.json"), "{\"format-version\": 1, \"run-dir\": ");
        CliRunner malformed = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains(copy.resolve("summary.json") + " is malformed").contains("chase report " + copy);

        Files.writeString(copy.resolve("summary.json"), Files.readString(chase.resolve("summary.json")) + "{\"broken");
        CliRunner trailing = CliRunner.run("compare", "--out", out.toString(), copy.toString());
        assertThat(trailing.exitCode()).as("a valid summary followed by more is not read as the valid part").isEqualTo(2);
        assertThat(trailing.err()).contains(copy.resolve("summary.json") + " is malformed").contains("more follows the end of its content");
    }

    @Test
    void reportEscapesTheRunsNameAndSaysWhenStatisticsAreMissing() throws IOException {
        Path odd = copyRun(chase, tmp.resolve("a<b>&\"c'"));
        // as if trained before per-channel statistics were logged
        List<String> stripped = new ArrayList<>();
        for (String line : Files.readAllLines(odd.resolve("metrics.jsonl"))) {
            ObjectNode node = (ObjectNode) Json.MAPPER.readTree(line);
            ((ObjectNode) node.get("sparsity")).remove("conv-channels");
            stripped.add(Json.write(node));
        }
        Files.write(odd.resolve("metrics.jsonl"), stripped);
        CliRunner r = CliRunner.run("report", odd.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("report: " + odd.resolve("report.html"));
        String raw = Files.readString(odd.resolve("report.html"));
        assertThat(raw).doesNotContain("<b>").contains("a&lt;b&gt;&amp;&quot;c&#39;");
        Document doc = Jsoup.parse(raw);
        assertThat(doc.select("b")).isEmpty();
        assertThat(doc.selectFirst("h1").text()).endsWith(odd.toString());
        assertThat(doc.getElementById("channels").text()).contains("predates the per-channel statistics");
        assertThat(doc.getElementById("channels").select("img")).isEmpty();
        checkSelfContained(doc);
    }

    @Test
    void reportRefusesMissingAndEmptyRuns() throws IOException {
        Path missing = tmp.resolve("nope");
        CliRunner r = CliRunner.run("report", missing.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("run directory " + missing + " does not exist").doesNotContain("Exception");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.copy(chase.resolve("config.json"), empty.resolve("config.json"));
        for (String[] args : List.of(new String[] {"report", empty.toString()}, new String[] {"compare", empty.toString()})) {
            CliRunner e = CliRunner.run(args);
            assertThat(e.exitCode()).isEqualTo(2);
            assertThat(e.err()).contains("run " + empty + " has no completed epoch yet").doesNotContain("Exception");
        }
        assertThat(empty.resolve("report.html")).doesNotExist();
        assertThat(CliRunner.run("compare").err()).contains("RUN_DIR");
    }

    /** A copy of a run directory (without checkpoints), so a test can change it freely. */
    private static Path copyRun(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("checkpoints")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
