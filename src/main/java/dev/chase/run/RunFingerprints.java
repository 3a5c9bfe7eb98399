package dev.chase.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chase.ChaseException;
import dev.chase.data.DataFingerprint;
import dev.chase.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code fingerprints.json}: what a run was started with, so that resuming it can refuse to mix —
 * the SHA-256 of its {@code config.json} (a hand edit would change the schedule half-way), the
 * fingerprint of its dataset (other images under the same name or folder) and, for a run that starts
 * from an ONNX file's weights, that file's SHA-256 (a run stopped before its first checkpoint reads
 * the file again when it is resumed).
 *
 * @param configSha256 hex SHA-256 of the bytes of {@code config.json}
 * @param data the dataset's fingerprint
 * @param initWeightsSha256 hex SHA-256 of the {@code --init-from-onnx} file, or null when the run drew its weights
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunFingerprints(String configSha256, DataFingerprint data, String initWeightsSha256) {
    /** The file's name in a run directory. */
    public static final String FILE = "fingerprints.json";

    /** Hex SHA-256 of a file's bytes as they are on disk now, read in blocks (an ONNX file may hold gigabytes). */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 16];
            for (int n = in.read(block); n >= 0; n = in.read(block)) {
                digest.update(block, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ChaseException("cannot read " + file + ": " + AtomicFiles.describe(e), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
