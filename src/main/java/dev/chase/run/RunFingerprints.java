package dev.chase.run;

import dev.chase.data.DataFingerprint;

/**
 * {@code fingerprints.json}: what a run was started with, so that resuming it can refuse to mix —
 * the SHA-256 of its {@code config.json} (a hand edit would change the schedule half-way) and the
 * fingerprint of its dataset (other images under the same name or folder).
 *
 * @param configSha256 hex SHA-256 of the bytes of {@code config.json}
 * @param data the dataset's fingerprint
 */
public record RunFingerprints(String configSha256, DataFingerprint data) {
    /** The file's name in a run directory. */
    public static final String FILE = "fingerprints.json";
}
