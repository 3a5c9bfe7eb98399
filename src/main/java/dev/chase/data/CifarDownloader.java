package dev.chase.data;

import dev.chase.ChaseException;
import dev.chase.io.AtomicFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * Makes a CIFAR dataset available in a local cache folder: reuses a complete cached copy, or
 * downloads the official archive (checksum verified), extracts it safely and marks the copy
 * complete. The completion marker is written last, so an interrupted run is recognised as
 * incomplete and redone rather than trained on.
 *
 * <p>Cache layout, for CIFAR-10 in {@code cacheDir}:
 *
 * <pre>
 * cacheDir/cifar-10/                       extracted archive
 * cacheDir/cifar-10/cifar-10-batches-bin/  the .bin files (returned by ensure)
 * cacheDir/cifar-10/.complete              marker, written last
 * </pre>
 *
 * The archive is downloaded into {@code cacheDir} and deleted once extracted.
 */
public final class CifarDownloader {

    /** Name of the completion marker inside the variant's cache folder. */
    public static final String MARKER = ".complete";

    private final Downloader downloader;

    /** Uses a downloader with default timeouts. */
    public CifarDownloader() {
        this(new Downloader());
    }

    public CifarDownloader(Downloader downloader) {
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /**
     * Returns the folder holding the variant's {@code .bin} files, downloading and extracting the
     * archive first if the cache has no complete copy.
     *
     * @param cacheDir where datasets are cached
     * @param allowDownload whether a missing dataset may be fetched (the CLI's {@code --download})
     * @param urlOverride where to download from instead of the official URL (a mirror serving the
     *     same archive; the official checksum applies); null for the official URL
     * @param progress told how the download advances; may be null
     */
    public Path ensure(
            CifarVariant variant, Path cacheDir, boolean allowDownload, URI urlOverride, DownloadProgress progress) {
        return ensure(variant, cacheDir, allowDownload, urlOverride, variant.md5(), progress);
    }

    /** As the public variant, with an explicit checksum (tests serve archives of their own). */
    Path ensure(
            CifarVariant variant,
            Path cacheDir,
            boolean allowDownload,
            URI urlOverride,
            String expectedMd5,
            DownloadProgress progress) {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Path root = cacheFolder(variant, cacheDir);
        Path data = root.resolve(variant.folderName());
        if (isCompleteRoot(variant, root)) {
            return data;
        }
        URI url = urlOverride != null ? urlOverride : variant.url();
        if (!allowDownload) {
            String state = Files.exists(root) ? "is incomplete in " + root : "is not in " + cacheDir;
            throw new ChaseException(variant + " " + state + ": pass --download to fetch it from " + url
                    + " (about 170 MB), or point --data-dir at an extracted " + variant.folderName() + " folder");
        }

        Path archive = cacheDir.resolve(variant.archiveFileName());
        // an archive that a crash kept from being extracted is reused once its checksum is confirmed
        if (!(Files.isRegularFile(archive) && Downloader.md5Of(archive).equalsIgnoreCase(expectedMd5))) {
            downloader.download(url, expectedMd5, archive, CifarVariant.MAX_ARCHIVE_BYTES, progress);
        }
        boolean done = false;
        try {
            // an incomplete copy from an interrupted run is ours to replace
            SafeExtractor.deleteTree(root);
            if (Files.exists(root)) {
                throw new ChaseException("cannot replace the incomplete " + variant + " copy in " + root
                        + "; delete that folder and try again");
            }
            SafeExtractor.extractTarGz(archive, root, CifarVariant.MAX_EXTRACTED_BYTES);
            if (!hasAllFiles(variant, data)) {
                SafeExtractor.deleteTree(root);
                throw new ChaseException("the archive from " + url + " does not contain the " + variant
                        + " files in " + variant.folderName() + "/; check the URL");
            }
            AtomicFiles.writeString(root.resolve(MARKER), "variant=" + variant.name() + "\nmd5=" + expectedMd5
                    + "\nsource=" + url + "\nextracted=" + Instant.now() + "\n");
            done = true;
        } finally {
            // once extracted the archive is dead weight; after a failed extraction a fresh download is the safe retry
            try {
                Files.deleteIfExists(archive);
            } catch (IOException ignored) {
                // only costs disk space; the next download replaces it
            }
            if (!done && Files.exists(root) && !Files.exists(root.resolve(MARKER))) {
                SafeExtractor.deleteTree(root);
            }
        }
        return data;
    }

    /** The folder a variant is cached in, e.g. {@code cacheDir/cifar-10}. */
    public static Path cacheFolder(CifarVariant variant, Path cacheDir) {
        return cacheDir.resolve(variant == CifarVariant.CIFAR10 ? "cifar-10" : "cifar-100");
    }

    /** Whether the cache holds a complete, marked copy of the variant. */
    public static boolean isComplete(CifarVariant variant, Path cacheDir) {
        return isCompleteRoot(variant, cacheFolder(variant, cacheDir));
    }

    private static boolean isCompleteRoot(CifarVariant variant, Path root) {
        return Files.isRegularFile(root.resolve(MARKER)) && hasAllFiles(variant, root.resolve(variant.folderName()));
    }

    private static boolean hasAllFiles(CifarVariant variant, Path data) {
        for (CifarDataset.Split split : CifarDataset.Split.values()) {
            for (String name : variant.files(split)) {
                if (!Files.isRegularFile(data.resolve(name))) {
                    return false;
                }
            }
        }
        return true;
    }
}
