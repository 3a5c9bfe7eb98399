package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expansion of sweep files into named entries, refusal of bad sweep files, and sweep.json as the truth of a sweep. */
class SweepPlanTest {
    @TempDir
    Path tmp;

    private Path write(String name, String... lines) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    /** Plans a sweep file into DIR without running anything (--emit writes sweep.json first). */
    private SweepCli plan(Path file, Path dir) {
        return SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--emit", "slurm", "--script", tmp.resolve("job.sh").toString());
    }

    @Test
    void expandsExplicitRunsCrossedWithTheAxesFirstAxisSlowestIntoReadableNames() throws IOException {
        Path recipe = write("base.yaml", "model: resnet20", "width: 0.25", "dataset: synthetic", "epochs: 1");
        Path file = write("grid.yaml",
                "base: base.yaml",
                "runs:",
                "  - {method: rigl}",
                "  - {method: chase, target-flops: 0.5, prune-skip: true}",
                "axes:",
                "  density: [0.1, 0.2]",
                "  seed: [1, 2]",
                "baseline: {method: rigl}");
        assertThat(recipe).exists();
        Path dir = tmp.resolve("sweep");
        SweepCli r = plan(file, dir);
        assertThat(r.exitCode()).as(r.err()).isZero();

        SweepPlan p = SweepPlan.read(dir).orElseThrow();
        assertThat(p.entries()).extracting(SweepEntry::name).containsExactly(
                "rigl-density0.1-seed1", "rigl-density0.1-seed2", "rigl-density0.2-seed1", "rigl-density0.2-seed2",
                "chase-target-flops0.5-prune-skip-density0.1-seed1", "chase-target-flops0.5-prune-skip-density0.1-seed2",
                "chase-target-flops0.5-prune-skip-density0.2-seed1", "chase-target-flops0.5-prune-skip-density0.2-seed2");
        assertThat(p.entries()).extracting(SweepEntry::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        SweepEntry e6 = p.entry(6);
        assertThat(e6.config()).containsEntry("model", "resnet20").containsEntry("width", "0.25").containsEntry("method", "chase")
                .containsEntry("target-flops", "0.5").containsEntry("prune-skip", "true").containsEntry("density", "0.2")
                .containsEntry("seed", "1");
        assertThat(p.entry(0).config()).doesNotContainKey("target-flops");
        assertThat(e6.configuration()).doesNotContainKey("seed").containsEntry("density", "0.2");
        assertThat(p.baseline()).isEqualTo(Map.of("method", "rigl"));
        assertThatThrownBy(() -> p.entry(8)).isInstanceOf(ChaseException.class).hasMessageContaining("0 to 7");
    }

    @Test
    void namesAreSafeAndUniqueAndASingleRunIsCalledRun() {
        Map<String, String> a = new LinkedHashMap<>(Map.of("data-dir", "../x y"));
        Map<String, String> b = new LinkedHashMap<>(Map.of("data-dir", "..-x_y"));
        List<String> names = RunNames.of(List.of(a, b));
        assertThat(names.get(0)).doesNotContain("/").doesNotStartWith(".");
        assertThat(names).doesNotHaveDuplicates();
        assertThat(RunNames.of(List.of(Map.of("model", "vgg16")))).containsExactly("run");
    }

    @Test
    void refusesTwoEntriesWithTheSameConfiguration() {
        SweepSpec spec = new SweepSpec(tmp.resolve("dup.yaml"), Map.of("model", "resnet20"),
                List.of(new SweepSpec.Axis("seed", List.of("1"))), List.of(Map.of("method", "rigl"), Map.of("method", "rigl")), Map.of());
        assertThatThrownBy(() -> SweepPlan.expand(spec)).isInstanceOf(ChaseException.class)
                .hasMessageContaining("dup.yaml").hasMessageContaining("entries 0 and 1 are the same run");
    }

    @Test
    void refusesAGridOfMoreThanTenThousandRunsBeforeExpandingIt() {
        List<String> thousands = java.util.stream.IntStream.range(0, 3000).mapToObj(String::valueOf).toList();
        SweepSpec spec = new SweepSpec(tmp.resolve("huge.yaml"), Map.of("model", "resnet20"),
                List.of(new SweepSpec.Axis("seed", thousands), new SweepSpec.Axis("batch-size", thousands)),
                List.of(Map.of("method", "rigl"), Map.of("method", "set")), Map.of());
        assertThatThrownBy(() -> SweepPlan.expand(spec)).isInstanceOf(ChaseException.class)
                .hasMessage("sweep file " + tmp.resolve("huge.yaml") + " expands to 18,000,000 runs (2 runs x seed 3000 x batch-size 3000);"
                        + " a sweep holds at most 10,000: shorten an axis or split the sweep into several files");
        SweepSpec largest = new SweepSpec(tmp.resolve("large.yaml"), Map.of("model", "resnet20"),
                List.of(new SweepSpec.Axis("seed", thousands.subList(0, 100)), new SweepSpec.Axis("batch-size", thousands.subList(0, 100))),
                List.of(), Map.of());
        assertThat(SweepPlan.expand(largest).entries()).hasSize(SweepPlan.MAX_ENTRIES);
    }

    @Test
    void refusesBadSweepFilesWithOneLineNamingTheFileAndExitCode2() throws IOException {
        String base = "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1}";
        assertRefused(write("a.yaml", base, "axis: {seed: [1]}"), "unknown key 'axis'");
        assertRefused(write("b.yaml", base, "axes: {densty: [0.1]}"), "unknown key 'densty'");
        assertRefused(write("c.yaml", base, "axes: {seed: []}"), "axis 'seed' is empty");
        assertRefused(write("d.yaml", base, "axes: {seed: 1}"), "must be a list of values");
        assertRefused(write("e.yaml", "axes: {seed: [1, 2]}"), "no base recipe");
        assertRefused(write("f.yaml", base, "axes: {epochs: [1, many]}"), "entry 1 (epochsmany) is not a valid chase train");
        assertRefused(write("g.yaml", base, "axes: [seed"), "g.yaml");
        assertRefused(write("h.yaml", base, "axes: {method: [chase]}", "baseline: {method: rigl}"), "matches no run");
        assertRefused(write("i.yaml", "base: missing.yaml"), "does not exist");
        assertRefused(write("j.yaml", base, "axes: {seed: [1, 1]}"), "lists the value 1 twice");
        assertRefused(write("k.yaml", base, "runs: [{seed: 3}]", "axes: {seed: [1]}"), "also an axis");
        assertRefused(tmp.resolve("absent.yaml"), "does not exist");
        assertThat(tmp.resolve("sweep")).doesNotExist();
    }

    private void assertRefused(Path file, String message) {
        SweepCli r = SweepCli.run("sweep", file.toString(), "--dir", tmp.resolve("sweep").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("chase: ").contains(file.toString()).contains(message).doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void refusesASweepFolderPlannedFromADifferentSweepFileAndKeepsItsSweepJson() throws IOException {
        String base = "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1}";
        Path file = write("grid.yaml", base, "axes: {seed: [1, 2]}");
        Path dir = tmp.resolve("sweep");
        assertThat(plan(file, dir).exitCode()).isZero();
        String json = Files.readString(dir.resolve(SweepPlan.FILE));
        assertThat(plan(file, dir).exitCode()).as("the same file again").isZero();

        write("grid.yaml", base, "axes: {seed: [1, 2, 3]}");
        SweepCli r = plan(file, dir);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("planned from a different sweep file").contains("it had 2 entries and now expands to 3")
                .contains("new --dir");
        write("grid.yaml", base, "axes: {seed: [1, 5]}");
        assertThat(plan(file, dir).err()).contains("entry 1 was seed2");
        assertThat(Files.readString(dir.resolve(SweepPlan.FILE))).isEqualTo(json);
        SweepCli run = SweepCli.run("sweep", file.toString(), "--dir", dir.toString());
        assertThat(run.exitCode()).as("running refuses too").isEqualTo(2);
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void refusesBadFlagsWithExitCode2BeforeWritingAnything() throws IOException {
        Path file = write("grid.yaml", "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1}", "axes: {seed: [1, 2]}");
        String dir = tmp.resolve("sweep").toString();
        assertFlagRefused("give a sweep file", "sweep");
        assertFlagRefused("--jobs must be positive", "sweep", file.toString(), "--dir", dir, "--jobs", "0");
        assertFlagRefused("--threads must be positive", "sweep", file.toString(), "--dir", dir, "--threads", "0");
        int cores = Runtime.getRuntime().availableProcessors();
        assertFlagRefused("--threads " + (cores + 1) + " is more than the " + cores + " cores of this machine", "sweep",
                file.toString(), "--dir", dir, "--threads", String.valueOf(cores + 1));
        assertFlagRefused("--jobs " + (cores + 1) + " is more than the " + cores + " cores of this machine", "sweep",
                file.toString(), "--dir", dir, "--jobs", String.valueOf(cores + 1));
        assertFlagRefused("--script goes with --emit slurm", "sweep", file.toString(), "--dir", dir, "--script", "x.sh");
        assertFlagRefused("--only 2 is not an entry of this sweep: its entries are 0 to 1", "sweep", file.toString(), "--dir", dir,
                "--only", "2");
        assertThat(tmp.resolve("sweep")).doesNotExist();
    }

    private static void assertFlagRefused(String message, String... args) {
        SweepCli r = SweepCli.run(args);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain("\tat ");
    }

    @Test
    void statusRefusesAFolderWithoutSweepJson() {
        SweepCli r = SweepCli.run("sweep", "status", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is not a sweep folder");
    }
}
