package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a downloaded {@code .tar.gz} without trusting it. Only plain files and folders are
 * written; an entry that would land outside the target folder (a {@code ..} path, an absolute
 * path), a symbolic or hard link, a device or a FIFO makes the whole extraction fail. The total
 * number of bytes written is capped, so a decompression bomb cannot fill the disk. Everything goes
 * into a hidden sibling folder that is renamed onto the target only at the end: the target either
 * does not exist or holds the complete archive content, and a failure leaves nothing behind.
 */
public final class SafeExtractor {

    /** Upper bound on the number of entries, against archives made of millions of tiny files. */
    public static final int MAX_ENTRIES = 100_000;

    private SafeExtractor() {}

    /**
     * Extracts {@code archive} into {@code target}, which must not exist yet.
     *
     * @param maxTotalBytes the most bytes all extracted files together may hold
     * @return {@code target}
     * @throws ChaseException if the archive is unreadable or unsafe, exceeds the cap, or the target
     *     exists; nothing is left behind then
     */
    public static Path extractTarGz(Path archive, Path target, long maxTotalBytes) {
        if (maxTotalBytes < 0) {
            throw new IllegalArgumentException("maxTotalBytes must not be negative: " + maxTotalBytes);
        }
        Path dest = target.toAbsolutePath().normalize();
        if (Files.exists(dest)) {
            throw new ChaseException("cannot extract " + archive + ": " + dest + " already exists; delete it first");
        }
        if (!Files.isRegularFile(archive)) {
            throw new ChaseException("cannot extract " + archive + ": no such file");
        }
        Path parent = dest.getParent();
        Path temp = parent.resolve("." + dest.getFileName() + ".extracting-" + UUID.randomUUID());
        boolean done = false;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(temp);
            extractInto(archive, temp, dest, maxTotalBytes);
            try {
                Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw new ChaseException("cannot extract " + archive + ": " + dest
                        + " appeared while extracting (another process?); delete it and try again", e);
            }
            done = true;
            return target;
        } catch (IOException e) {
            throw new ChaseException("cannot extract " + archive + " to " + dest + ": " + AtomicFiles.describe(e), e);
        } finally {
            if (!done) {
                deleteTree(temp);
            }
        }
    }

    private static void extractInto(Path archive, Path temp, Path dest, long maxTotalBytes) throws IOException {
        long written = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        // Read failures are reported as a corrupt archive where they happen; any other I/O failure
        // here is about writing the output and goes to the caller as such.
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = openTarGz(file, archive)) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar, archive)) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw refuse(archive, "it has more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                Path out = resolveInside(archive, temp, dest, name);
                if (entry.isSymbolicLink()) {
                    throw refuse(archive, "entry '" + name + "' is a symbolic link (to '" + entry.getLinkName() + "')");
                }
                if (entry.isLink()) {
                    throw refuse(archive, "entry '" + name + "' is a hard link (to '" + entry.getLinkName() + "')");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice()) {
                    throw refuse(archive, "entry '" + name + "' is a device");
                }
                if (entry.isFIFO()) {
                    throw refuse(archive, "entry '" + name + "' is a FIFO");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                if (!entry.isFile()) {
                    throw refuse(archive, "entry '" + name + "' is neither a plain file nor a folder");
                }
                if (out.equals(temp)) {
                    throw refuse(archive, "a file entry has an empty name");
                }
                if (entry.getSize() > maxTotalBytes - written) {
                    throw tooLarge(archive, maxTotalBytes);
                }
                Files.createDirectories(out.getParent());
                try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    int n;
                    while ((n = read(tar, buffer, archive)) > 0) {
                        written += n;
                        if (written > maxTotalBytes) {
                            throw tooLarge(archive, maxTotalBytes);
                        }
                        os.write(buffer, 0, n);
                    }
                }
            }
        }
    }

    private static TarArchiveInputStream openTarGz(InputStream file, Path archive) {
        try {
            return new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(file, 1 << 16)));
        } catch (IOException e) {
            throw corrupt(archive, e);
        }
    }

    /**
     * Resolves an entry name inside the extraction folder, refusing anything that would leave it.
     * The check is done against the folder's final name too, so the message makes sense to a user.
     */
    private static Path resolveInside(Path archive, Path temp, Path dest, String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw refuse(archive, "an entry has an empty or malformed name");
        }
        if (name.startsWith("/") || name.startsWith("\\") || (name.length() > 1 && name.charAt(1) == ':' && Character.isLetter(name.charAt(0)))) {
            throw refuse(archive, "entry '" + name + "' has an absolute path");
        }
        Path out;
        try {
            Path relative = temp.getFileSystem().getPath(name);
            if (relative.isAbsolute()) {
                throw refuse(archive, "entry '" + name + "' has an absolute path");
            }
            out = temp.resolve(relative).normalize();
        } catch (InvalidPathException e) {
            throw refuse(archive, "entry '" + name + "' is not a valid file name here");
        }
        if (!out.startsWith(temp)) {
            throw refuse(archive, "entry '" + name + "' would be written outside " + dest);
        }
        return out;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, Path archive) {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw corrupt(archive, e);
        }
    }

    private static int read(TarArchiveInputStream tar, byte[] buffer, Path archive) {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw corrupt(archive, e);
        }
    }

    private static ChaseException refuse(Path archive, String why) {
        return new ChaseException("refusing to extract " + archive + ": " + why
                + "; the archive is not the expected dataset, delete it and download it again");
    }

    private static ChaseException tooLarge(Path archive, long max) {
        return new ChaseException("refusing to extract " + archive + ": its content exceeds the limit of " + max
                + " bytes; the archive is not the expected dataset, delete it and download it again");
    }

    private static ChaseException corrupt(Path archive, Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ChaseException("cannot extract " + archive + ": not a valid .tar.gz archive (" + m
                + "); delete it and download it again", e);
    }

    /** Deletes a folder tree without following links; best effort. */
    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: what remains is a hidden folder that nothing reads
        }
    }
}
