package dev.chase.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small CIFAR-format files and tar.gz archives built in memory, with predictable content. */
final class CifarFixtures {
    static final int IMAGE = 3 * 32 * 32;

    private CifarFixtures() {}

    /** The label of record {@code i} (global index within a split). */
    static int label(CifarVariant v, int i) {
        return (i * 7 + 3) % v.numClasses();
    }

    /** The value of pixel byte {@code j} of record {@code i}; differs between splits via {@code salt}. */
    static int pixel(int i, int j, int salt) {
        return (i * 31 + j * 7 + salt) & 0xFF;
    }

    /** Records {@code from .. from+n-1} of a split, in the variant's binary format. */
    static byte[] records(CifarVariant v, int from, int n, int salt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < from + n; i++) {
            int label = label(v, i);
            if (v.labelBytes() == 2) {
                out.write(label / 5); // coarse label, 20 classes
            }
            out.write(label);
            for (int j = 0; j < IMAGE; j++) {
                out.write(pixel(i, j, salt));
            }
        }
        return out.toByteArray();
    }

    /** The {@code .bin} files of a small dataset: train images spread over the train files. */
    static List<Item> binFiles(CifarVariant v, int trainCount, int testCount) {
        List<Item> items = new ArrayList<>();
        List<String> train = v.files(CifarDataset.Split.TRAIN);
        int per = trainCount / train.size();
        for (int f = 0; f < train.size(); f++) {
            items.add(Item.file(v.folderName() + "/" + train.get(f), records(v, f * per, per, 0)));
        }
        items.add(Item.file(v.folderName() + "/" + v.files(CifarDataset.Split.TEST).get(0),
                records(v, 0, testCount, 100)));
        return items;
    }

    /** Writes the small dataset's files under {@code root} (so the data sit in root/folderName). */
    static Path writeBinFolder(Path root, CifarVariant v, int trainCount, int testCount) throws IOException {
        for (Item item : binFiles(v, trainCount, testCount)) {
            Path p = root.resolve(item.name);
            Files.createDirectories(p.getParent());
            Files.write(p, item.content);
        }
        return root.resolve(v.folderName());
    }

    /** A complete small CIFAR archive with the official layout, plus a readme like the real one. */
    static byte[] cifarArchive(CifarVariant v, int trainCount, int testCount) {
        List<Item> items = new ArrayList<>();
        items.add(Item.dir(v.folderName() + "/"));
        items.add(Item.file(v.folderName() + "/readme.html", "<html></html>".getBytes(StandardCharsets.UTF_8)));
        items.addAll(binFiles(v, trainCount, testCount));
        return tarGz(items);
    }

    /** One tar entry to write. */
    record Item(String name, byte type, byte[] content, String linkTarget) {
        static Item file(String name, byte[] content) {
            return new Item(name, TarConstants.LF_NORMAL, content, null);
        }

        static Item dir(String name) {
            return new Item(name, TarConstants.LF_DIR, new byte[0], null);
        }

        static Item symlink(String name, String target) {
            return new Item(name, TarConstants.LF_SYMLINK, new byte[0], target);
        }

        static Item hardLink(String name, String target) {
            return new Item(name, TarConstants.LF_LINK, new byte[0], target);
        }

        static Item fifo(String name) {
            return new Item(name, TarConstants.LF_FIFO, new byte[0], null);
        }
    }

    /** A gzip-compressed tar of the items, names written verbatim (absolute ones included). */
    static byte[] tarGz(List<Item> items) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Item item : items) {
                TarArchiveEntry e = new TarArchiveEntry(item.name, item.type, true);
                if (item.linkTarget != null) {
                    e.setLinkName(item.linkTarget);
                }
                e.setSize(item.type == TarConstants.LF_NORMAL ? item.content.length : 0);
                tar.putArchiveEntry(e);
                if (item.type == TarConstants.LF_NORMAL) {
                    tar.write(item.content);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every path under {@code root}, relative, for "nothing was left behind" assertions. */
    static List<String> listTree(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
