package dev.chase.sweep;

import dev.chase.io.Shell;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Slurm job-array script for a sweep on a shared filesystem: one array task per entry, each
 * running {@code chase sweep FILE --dir DIR --only $SLURM_ARRAY_TASK_ID} with the engine threads
 * Slurm gives it ({@code SLURM_CPUS_PER_TASK}). Tasks may be requeued ({@code --requeue}) or
 * resubmitted at any moment: a task resumes its run from its last checkpoint and skips it if it
 * has finished.
 *
 * @param jobName the job's name
 * @param entries how many entries the sweep has (array indices 0 to entries - 1)
 * @param cpusPerTask the cores each task asks for
 * @param workDir the folder relative paths in the sweep refer to (the tasks start there)
 * @param chase the command that runs chase on the compute nodes
 * @param sweepFile the sweep file, absolute
 * @param sweepDir the sweep folder, absolute
 */
public record SlurmScript(String jobName, int entries, int cpusPerTask, Path workDir, List<String> chase, Path sweepFile, Path sweepDir) {
    /** The script's text. */
    public String text() {
        String command = chase.stream().map(Shell::quote).collect(Collectors.joining(" "));
        return String.join("\n",
                "#!/bin/bash",
                "#SBATCH --job-name=" + jobName.replaceAll("[^A-Za-z0-9._-]", "_"),
                "#SBATCH --array=0-" + (entries - 1),
                "#SBATCH --cpus-per-task=" + cpusPerTask,
                "#SBATCH --ntasks=1",
                "#SBATCH --requeue",
                "#SBATCH --output=" + directiveWord(sweepDir.resolve("logs").toString().replace("%", "%%") + "/slurm-%A_%a.out"),
                "# Written by chase sweep --emit slurm: one array task per entry of " + sweepDir.resolve(SweepPlan.FILE) + ".",
                "# Requeue-safe: each task resumes its run from the last checkpoint, or skips it when it has finished.",
                "# Submit with: sbatch THIS_FILE; then see: chase sweep status " + Shell.quote(sweepDir),
                "set -euo pipefail",
                "cd " + Shell.quote(workDir),
                String.format(Locale.ROOT, "exec %s sweep %s --dir %s --only \"$SLURM_ARRAY_TASK_ID\" --threads \"${SLURM_CPUS_PER_TASK:-%d}\"",
                        command, Shell.quote(sweepFile), Shell.quote(sweepDir), cpusPerTask),
                "");
    }

    /**
     * The value of an {@code #SBATCH} option as sbatch reads it: sbatch ends a value at white space
     * or {@code #} unless it is inside double quotes, in which a backslash escapes {@code "} and
     * {@code \}. (Slurm expands {@code %} patterns in file names afterwards: a literal {@code %} must
     * already be {@code %%}.)
     */
    static String directiveWord(String value) {
        return value.matches("[A-Za-z0-9_./:=@%+,-]+") ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
