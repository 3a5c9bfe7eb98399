package dev.chase.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where an entry stands, the command that runs it (new or resumed), the thread rule and the status line. */
class SweepFolderTest {
    @TempDir
    Path tmp;

    private final SweepEntry entry = new SweepEntry(3, "rigl-seed2", Map.of("model", "resnet20", "method", "rigl", "seed", "2"));
    private final ChaseLauncher launcher = new ChaseLauncher(List.of("java", "Main"));

    @Test
    void aNewEntryStartsFromItsRecipeAndAStartedOneIsResumed() throws IOException {
        SweepFolder folder = new SweepFolder(tmp);
        assertThat(folder.status(entry)).isEqualTo(EntryStatus.PENDING);
        assertThat(launcher.trainCommand(folder, entry, 3)).containsExactly("java", "Main", "train", "--recipe",
                tmp.resolve("recipes/rigl-seed2.json").toString(), "--run-dir", tmp.resolve("runs/rigl-seed2").toString(), "--threads", "3");

        Files.createDirectories(folder.runDir(entry));
        Files.writeString(folder.runDir(entry).resolve("config.json"), "{}");
        assertThat(folder.status(entry)).as("started, no final model").isEqualTo(EntryStatus.UNFINISHED);
        assertThat(launcher.trainCommand(folder, entry, 1)).containsExactly("java", "Main", "train", "--resume",
                tmp.resolve("runs/rigl-seed2").toString(), "--threads", "1");

        folder.writeRecord(entry, new EntryRecord(entry.name(), 137, "Killed", 12.5, 1, "2026-01-01T00:00:00Z"));
        assertThat(folder.status(entry)).isEqualTo(EntryStatus.FAILED);
        assertThat(folder.record(entry).orElseThrow().reason()).isEqualTo("Killed");
        assertThat(folder.counts(new SweepPlan(1, "f.yaml", List.of(entry), Map.of()))).containsEntry(EntryStatus.FAILED, 1L)
                .containsEntry(EntryStatus.PENDING, 0L);
    }

    @Test
    void theRecipeHoldsTheEntrysConfigAsText() throws IOException {
        SweepFolder folder = new SweepFolder(tmp);
        Path recipe = folder.writeRecipe(entry);
        assertThat(Files.readString(recipe)).contains("\"method\" : \"rigl\"").contains("\"seed\" : \"2\"");
    }

    @Test
    void threadsPerRunAreGivenOrTheCoresDividedAmongTheJobs() {
        assertThat(SweepRunner.threadsPerRun(null, 2, 16)).isEqualTo(8);
        assertThat(SweepRunner.threadsPerRun(null, 3, 16)).isEqualTo(5);
        assertThat(SweepRunner.threadsPerRun(null, 4, 2)).isEqualTo(1);
        assertThat(SweepRunner.threadsPerRun(2, 4, 16)).isEqualTo(2);
    }

    @Test
    void theStatusLineCountsAndEstimatesFromFinishedRuns() {
        assertThat(new StatusLine(1, 2, 3, 0, StatusLine.eta(600, 2, 3, 2)).toString())
                .isEqualTo("sweep: 1 done, 2 running, 3 queued, 0 failed; ETA 25m00s");
        assertThat(new StatusLine(0, 1, 0, 1, StatusLine.eta(-1, 1, 0, 1)).toString()).endsWith("ETA after the first run finishes");
        assertThat(new StatusLine(4, 0, 0, 0, -1).toString()).endsWith("ETA 0s");
        assertThat(StatusLine.duration(3725)).isEqualTo("1h02m");
    }

    @Test
    void theReasonIsTheLastChaseLineOfThisAttempt() throws IOException {
        Path err = tmp.resolve("e.err");
        Files.writeString(err, "chase: old attempt\n");
        long from = Files.size(err);
        Files.writeString(err, "chase: data missing\nException in thread main\n\tat x.y\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(EntryRunner.reason(err, from, 2)).isEqualTo("chase: data missing");
        assertThat(EntryRunner.reason(err, Files.size(err), 137)).contains("exited with code 137");
    }
}
