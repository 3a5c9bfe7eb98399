package dev.chase.config;

import dev.chase.Require;

/**
 * The data to train on.
 *
 * @param dataset the dataset
 * @param dataDir folder holding the dataset files, or null for the dataset's default place
 * @param download whether a missing downloadable dataset may be fetched
 */
public record DataConfig(Dataset dataset, String dataDir, boolean download) {
    public DataConfig {
        Require.that(dataset != null, "dataset must be given");
    }
}
