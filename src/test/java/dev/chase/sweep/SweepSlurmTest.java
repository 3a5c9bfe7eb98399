package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.io.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Slurm job-array script of {@code chase sweep --emit slurm}. */
class SweepSlurmTest {
    @TempDir
    Path tmp;

    @Test
    void emitsOneArrayTaskPerEntryRunningOnlyThatEntryWithSlurmsCores() throws IOException, InterruptedException {
        Path file = tmp.resolve("grid.yaml");
        Files.writeString(file, "base: {model: resnet20, width: 0.25, dataset: synthetic, epochs: 1}\naxes: {method: [rigl, chase], seed: [1, 2, 3]}\n");
        Path dir = tmp.resolve("my sweep's folder");
        Path script = tmp.resolve("job.sh");
        // more threads than this machine has: they are for the cluster's nodes
        String threads = String.valueOf(Runtime.getRuntime().availableProcessors() + 2);
        SweepCli r = SweepCli.run("sweep", file.toString(), "--dir", dir.toString(), "--emit", "slurm", "--threads", threads,
                "--script", script.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("6 array tasks").contains("sbatch " + script);
        assertThat(SweepPlan.read(dir)).as("the plan is written before any task runs").isPresent();
        assertThat(dir.resolve("runs")).doesNotExist();
        assertThat(dir.resolve("logs")).as("slurmd opens the tasks' --output there before they start: without it every task fails")
                .isDirectory();

        String text = Files.readString(script);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).isEqualTo("#!/bin/bash");
        assertThat(lines).contains("#SBATCH --array=0-5", "#SBATCH --cpus-per-task=" + threads, "#SBATCH --requeue", "#SBATCH --ntasks=1",
                "#SBATCH --job-name=chase-grid");
        String exec = lines.stream().filter(l -> l.startsWith("exec ")).findFirst().orElseThrow();
        assertThat(exec).contains(" dev.chase.cli.ChaseCli sweep " + file.toAbsolutePath())
                .contains("--dir '" + dir.toAbsolutePath().toString().replace("'", "'\\''") + "'")
                .contains("--only \"$SLURM_ARRAY_TASK_ID\"").contains("--threads \"${SLURM_CPUS_PER_TASK:-" + threads + "}\"");
        assertThat(lines).contains("cd " + Shell.quote(Path.of("").toAbsolutePath().toString()));
        assertThat(lines).as("sbatch ends an unquoted value at the space: 'Invalid directive found in batch script'")
                .contains("#SBATCH --output=\"" + dir.toAbsolutePath().resolve("logs") + "/slurm-%A_%a.out\"");

        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(new String(bash.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void quotesWordsForBashOnlyWhenNeeded() {
        assertThat(Shell.quote("/a/b-c_d.yaml")).isEqualTo("/a/b-c_d.yaml");
        assertThat(Shell.quote("a b")).isEqualTo("'a b'");
        assertThat(Shell.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    }

    @Test
    void quotesDirectiveValuesForSbatchOnlyWhenNeeded() {
        assertThat(SlurmScript.directiveWord("/a/b-c_d/slurm-%A_%a.out")).isEqualTo("/a/b-c_d/slurm-%A_%a.out");
        assertThat(SlurmScript.directiveWord("/a/my \"x\" 50%% #1/s.out")).isEqualTo("\"/a/my \\\"x\\\" 50%% #1/s.out\"");
        assertThat(SlurmScript.directiveWord("/a/b\\c")).isEqualTo("\"/a/b\\\\c\"");
    }

    @Test
    void emitsTheOutputPathWithPercentSignsDoubled() {
        SlurmScript s = new SlurmScript("j", 2, 1, Path.of("/w"), List.of("chase"), Path.of("/w/s.yaml"), Path.of("/w/50% done"));
        assertThat(s.text().lines()).contains("#SBATCH --output=\"/w/50%% done/logs/slurm-%A_%a.out\"")
                .contains("# Submit with: sbatch THIS_FILE; then see: chase sweep status '/w/50% done'");
    }

    @Test
    void refusesAnUnknownKindWithExitCode2() throws IOException {
        Path file = tmp.resolve("grid.yaml");
        Files.writeString(file, "base: {model: resnet20, dataset: synthetic}\naxes: {seed: [1, 2]}\n");
        SweepCli r = SweepCli.run("sweep", file.toString(), "--dir", tmp.resolve("s").toString(), "--emit", "pbs");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--emit pbs is not known");
    }
}
