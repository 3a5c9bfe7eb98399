package dev.chase.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails half-way (full disk, I/O error) or cannot be renamed leaves the previous file as it was. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private java.util.List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void replacesTheFileWhole() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.writeString(f, "old");
        AtomicFiles.writeString(f, "new");
        assertThat(Files.readString(f)).isEqualTo("new");
        assertThat(names()).containsExactly("a.json");
    }

    @Test
    void writtenFilesGetTheUsualPermissionsNotOwnerOnly() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written.json");
        AtomicFiles.writeString(written, "{}");
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aWriteThatFailsHalfWayKeepsThePreviousVersionAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        AtomicFiles.writeString(f, "epoch 1\n");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("epoch 1\nepoch 2 (half".getBytes(StandardCharsets.UTF_8));
            // what a full disk does to the writer
            throw new IOException("No space left on device");
        })).isInstanceOf(ChaseException.class)
                .hasMessage("cannot write " + f + ": No space left on device; its previous version is unchanged");
        assertThat(Files.readString(f)).isEqualTo("epoch 1\n");
        assertThat(names()).containsExactly("metrics.jsonl");
    }

    @Test
    void aNewFileThatCannotBeWrittenLeavesNothing() {
        Path f = dir.resolve("epoch-0001.ckpt");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);
            throw new IOException("File too large");
        })).isInstanceOf(ChaseException.class).hasMessage("cannot write " + f + ": File too large");
        assertThat(f).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFailedRenameKeepsWhatIsThereAndNoTemporaryFile() throws IOException {
        // a non-empty folder where the file should go: the final rename cannot replace it
        Path f = Files.createDirectories(dir.resolve("report.json"));
        Files.writeString(f.resolve("inside"), "x");
        assertThatThrownBy(() -> AtomicFiles.writeString(f, "{}")).isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("cannot write " + f + ": ");
        assertThat(Files.readString(f.resolve("inside"))).isEqualTo("x");
        assertThat(names()).containsExactly("report.json");
    }

    @Test
    void anUnwritableFolderIsReportedWithoutAStackTrace() throws IOException {
        // a regular file where the folder should be: refused whoever runs the test (root ignores permissions)
        Path notAFolder = Files.writeString(dir.resolve("runs"), "a file");
        assertThatThrownBy(() -> AtomicFiles.writeString(notAFolder.resolve("config.json"), "{}"))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot write " + notAFolder.resolve("config.json") + ": " + notAFolder + " is a file, not a folder");
        assertThat(Files.readString(notAFolder)).isEqualTo("a file");
    }

    @Test
    void leftoversOfAKilledWriterAreRemovedAndNothingElse() throws IOException {
        Files.writeString(dir.resolve("epoch-0002.ckpt"), "complete");
        Files.writeString(dir.resolve(".epoch-0003.ckpt.123456.tmp"), "half");
        Files.writeString(dir.resolve(".hidden-but-ours-not"), "keep");
        Files.writeString(dir.resolve("notes.tmp"), "visible, not ours");
        AtomicFiles.removeLeftovers(dir);
        assertThat(names()).containsExactly(".hidden-but-ours-not", "epoch-0002.ckpt", "notes.tmp");
        AtomicFiles.removeLeftovers(dir.resolve("absent"));
    }
}
