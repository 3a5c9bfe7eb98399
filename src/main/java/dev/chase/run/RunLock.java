package dev.chase.run;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one-writer lock of a run directory: an operating-system lock on its {@code lock} file, held
 * by the process that writes the run (train, resume, shrink, report, bench, ...) from before its
 * first write until it ends. The operating system releases it when the process dies, however it
 * dies. The file names the holder (pid, host, command, since when) so a refused writer can say who
 * holds it. Readers do not take it.
 */
public final class RunLock implements AutoCloseable {
    /** Name of the lock file inside the run directory. */
    public static final String FILE = "lock";

    private final Path root;
    private final boolean created;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path root, boolean created, FileChannel channel, FileLock lock) {
        this.root = root;
        this.created = created;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code root} (creating the folder if needed) or refuses, naming the process that holds
     * it.
     */
    public static RunLock acquire(Path root) {
        if (root.toString().isBlank()) {
            throw new ChaseException("the run directory must not be empty; name a folder");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new ChaseException(root + " is a file, not a run directory");
        }
        RunDirectory.refuseForeign(root); // before the lock file is written among a user's files
        boolean created = !Files.exists(root);
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new ChaseException("cannot create run directory " + root + ": " + AtomicFiles.describe(e), e);
        }
        return lock(root, created);
    }

    /** Locks an existing run directory, which must hold a run, or refuses as {@link #acquire} does. */
    public static RunLock acquireRun(Path root) {
        RunDirectory.open(root);
        return lock(root, false);
    }

    /**
     * Creates and locks a new run directory named {@code base}, or {@code base-2}, {@code base-3},
     * ... if that name is taken (two runs started in the same second get different folders).
     */
    public static RunLock acquireNew(Path base) {
        try {
            Files.createDirectories(base.toAbsolutePath().getParent());
            for (int i = 1; ; i++) {
                Path candidate = i == 1 ? base : base.resolveSibling(base.getFileName() + "-" + i);
                try {
                    Files.createDirectory(candidate);
                    return lock(candidate, true);
                } catch (FileAlreadyExistsException e) {
                    // taken (maybe a moment ago by another run): try the next name
                }
            }
        } catch (IOException e) {
            throw new ChaseException("cannot create run directory " + base + ": " + AtomicFiles.describe(e), e);
        }
    }

    private static RunLock lock(Path root, boolean created) {
        Path file = root.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ChaseException("cannot open the lock file " + file + ": " + AtomicFiles.describe(e), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new ChaseException("cannot lock " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (lock == null) {
            String holder = holder(channel);
            close(channel);
            throw new ChaseException("run directory " + root + " is in use by another chase process" + holder
                    + "; wait for it to end or stop it");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisProcess().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
        } catch (IOException e) {
            close(channel);
            throw new ChaseException("cannot write the lock file " + file + ": " + AtomicFiles.describe(e), e);
        }
        return new RunLock(root, created, channel, lock);
    }

    /** " (pid ..., since ...)" from the lock file, or "" if the holder has not written it yet. */
    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(4096);
            channel.read(buf, 0);
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "" : " (" + text + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String describeThisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        String command = System.getProperty("sun.java.command", "");
        int space = command.indexOf(' ');
        command = "chase" + (space < 0 ? "" : command.substring(space));
        return "pid " + ProcessHandle.current().pid() + " on " + host + " since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ": " + command + "\n";
    }

    /** The locked run directory. */
    public Path root() {
        return root;
    }

    /**
     * Releases the lock. A folder this lock created that holds nothing but the lock file (a run that
     * failed to start) is removed.
     */
    @Override
    public void close() {
        if (created) {
            try (var entries = Files.list(root)) {
                if (entries.allMatch(p -> p.getFileName().toString().equals(FILE))) {
                    Files.deleteIfExists(root.resolve(FILE));
                    Files.deleteIfExists(root);
                }
            } catch (IOException e) {
                // not empty after all, or not ours to remove: leave it
            }
        }
        try {
            lock.release();
        } catch (IOException e) {
            // the channel closes below, which releases it too
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do: closing releases the lock either way
        }
    }
}
