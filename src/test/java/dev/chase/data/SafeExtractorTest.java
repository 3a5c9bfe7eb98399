package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.data.CifarFixtures.Item;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeExtractorTest {
    @TempDir Path root;

    /** Archives live here; extraction targets go in {@link #work}; outside them nothing may appear. */
    private Path archives;
    private Path work;
    private Path target;

    @BeforeEach
    void setUp() throws Exception {
        archives = Files.createDirectory(root.resolve("archives"));
        work = Files.createDirectory(root.resolve("work"));
        target = work.resolve("out");
    }

    private Path archive(List<Item> items) throws Exception {
        return Files.write(archives.resolve("a.tar.gz"), CifarFixtures.tarGz(items));
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts that nothing exists outside the archive folder other than the empty work folder. */
    private void assertNothingWritten() throws Exception {
        assertThat(CifarFixtures.listTree(root)).containsExactly("archives", "archives/a.tar.gz", "work");
    }

    @Test
    void extractsFilesAndFoldersIntoTheTarget() throws Exception {
        Path a = archive(List.of(
                Item.dir("d/"),
                Item.file("d/x.txt", text("hello")),
                Item.file("./top.bin", new byte[] {1, 2, 3}),
                Item.file("e/f/deep.txt", text("deep"))));

        assertThat(SafeExtractor.extractTarGz(a, target, 1000)).isEqualTo(target);

        assertThat(Files.readString(target.resolve("d/x.txt"))).isEqualTo("hello");
        assertThat(Files.readAllBytes(target.resolve("top.bin"))).containsExactly(1, 2, 3);
        assertThat(Files.readString(target.resolve("e/f/deep.txt"))).isEqualTo("deep");
        assertThat(CifarFixtures.listTree(work)).containsExactly(
                "out", "out/d", "out/d/x.txt", "out/e", "out/e/f", "out/e/f/deep.txt", "out/top.bin");
    }

    @Test
    void refusesParentTraversal() throws Exception {
        Path a = archive(List.of(Item.file("ok.txt", text("fine")), Item.file("../evil", text("pwned"))));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessage("refusing to extract " + a + ": entry '../evil' would be written outside "
                        + target.toAbsolutePath() + "; the archive is not the expected dataset, delete it and"
                        + " download it again");
        assertNothingWritten();
    }

    @Test
    void refusesTraversalHiddenInsideAPath() throws Exception {
        Path a = archive(List.of(Item.file("d/../../../evil", text("pwned"))));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .hasMessageContaining("entry 'd/../../../evil' would be written outside");
        assertNothingWritten();
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        Path evil = root.resolve("abs-evil");
        Path a = archive(List.of(Item.file(evil.toString(), text("pwned"))));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("refusing to extract " + a + ": entry '" + evil + "' has an absolute path");
        assertThat(evil).doesNotExist();
        assertNothingWritten();
    }

    @Test
    void refusesSymbolicLinks() throws Exception {
        Path a = archive(List.of(Item.symlink("link", "/etc/passwd"), Item.file("link", text("through the link"))));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("entry 'link' is a symbolic link (to '/etc/passwd')");
        assertNothingWritten();
    }

    @Test
    void refusesHardLinks() throws Exception {
        Path a = archive(List.of(Item.file("a.txt", text("x")), Item.hardLink("b.txt", "a.txt")));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .hasMessageContaining("entry 'b.txt' is a hard link (to 'a.txt')");
        assertNothingWritten();
    }

    @Test
    void refusesFifos() throws Exception {
        Path a = archive(List.of(Item.fifo("pipe")));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .hasMessageContaining("entry 'pipe' is a FIFO");
        assertNothingWritten();
    }

    @Test
    void refusesDevices() throws Exception {
        for (byte type : new byte[] {org.apache.commons.compress.archivers.tar.TarConstants.LF_CHR,
            org.apache.commons.compress.archivers.tar.TarConstants.LF_BLK}) {
            Path a = archive(List.of(Item.file("ok.txt", text("x")), new Item("null", type, new byte[0], null)));

            assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                    .isInstanceOf(ChaseException.class).hasMessageContaining("entry 'null' is a device");
            assertNothingWritten();
        }
    }

    @Test
    void refusesContentOverTheCap() throws Exception {
        Path a = archive(List.of(Item.file("a.bin", new byte[600]), Item.file("b.bin", new byte[600])));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessage("refusing to extract " + a + ": its content exceeds the limit of 1000 bytes; the archive"
                        + " is not the expected dataset, delete it and download it again");
        assertNothingWritten();
    }

    @Test
    void reportsAFileThatIsNotATarGz() throws Exception {
        Path a = Files.writeString(archives.resolve("a.tar.gz"), "<html>not found</html>");

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessageStartingWith("cannot extract " + a + ": not a valid .tar.gz archive (")
                .hasMessageEndingWith("); delete it and download it again");
        assertNothingWritten();
    }

    @Test
    void reportsATruncatedArchive() throws Exception {
        byte[] full = CifarFixtures.tarGz(List.of(Item.file("a.bin", CifarFixtures.records(CifarVariant.CIFAR10, 0,
                20, 0))));
        Path a = Files.write(archives.resolve("a.tar.gz"), java.util.Arrays.copyOf(full, full.length / 2));

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1_000_000))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("not a valid .tar.gz archive");
        assertNothingWritten();
    }

    @Test
    void refusesAnExistingTarget() throws Exception {
        Path a = archive(List.of(Item.file("a.txt", text("x"))));
        Files.createDirectory(target);

        assertThatThrownBy(() -> SafeExtractor.extractTarGz(a, target, 1000))
                .isInstanceOf(ChaseException.class)
                .hasMessage("cannot extract " + a + ": " + target.toAbsolutePath() + " already exists; delete it first");
        assertThat(CifarFixtures.listTree(work)).containsExactly("out");
    }
}
