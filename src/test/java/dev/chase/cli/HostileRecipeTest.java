package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import dev.chase.Hostile;
import dev.chase.config.TrainConfig;
import dev.chase.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Damaged recipe files (YAML, and a run's config.json) go through everything {@code chase train
 * --recipe} does before training: read, turned into flags, parsed, validated into a config. The
 * outcome is a config or one clear message (a ChaseException, or picocli's message for a bad
 * value, which the command line prints the same way, with exit code 2).
 */
class HostileRecipeTest {
    @TempDir
    Path tmp;

    /** What {@code chase train --recipe FILE} builds before it trains; picocli's refusal counts as a clear one. */
    private static TrainConfig config(Path recipe) {
        TrainCommand cmd = new TrainCommand();
        try {
            new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults()).parseArgs(Recipe.flags(recipe).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new ChaseException(e.getMessage(), e);
        }
        return cmd.options.toConfig().resolved();
    }

    @Test
    void recipesAreParsedOrRefused() throws IOException {
        List<String> samples = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("recipes"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                samples.add(Files.readString(p));
            }
        }
        samples.add(Json.writePretty(TrainConfig.defaults().with("method", "chase").resolved()));
        Hostile.Tally tally = new Hostile.Tally("recipes (YAML and config.json)");
        Path file = tmp.resolve("recipe.yaml");
        Hostile.forAll("recipe", 300, r -> {
            byte[] text = r.nextInt(4) == 0
                    ? Hostile.bytes(r, 500, samples.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList())
                    : Hostile.text(r, samples).getBytes(StandardCharsets.UTF_8);
            Files.write(file, text);
            TrainConfig c = Hostile.read(tally, text, 5, 64L << 20, () -> config(file));
            if (c != null) {
                assertThat(c.epochs()).isPositive();
            }
        });
        tally.assertBothOutcomes();
    }

    @Test
    void aSecondYamlDocumentIsRefusedNotIgnored() throws IOException {
        Path one = Files.writeString(tmp.resolve("one.yaml"), "---\nmodel: resnet20\nepochs: 3\n");
        assertThat(config(one).epochs()).isEqualTo(3);
        Path two = Files.writeString(tmp.resolve("two.yaml"), "---\nmodel: resnet20\nepochs: 3\n---\nepochs: 5\n");
        assertThatThrownBy(() -> config(two)).isInstanceOf(ChaseException.class)
                .hasMessage("recipe " + two + " is malformed (line 5, column 1): more follows the end of its content"
                        + " (a second YAML document, or a file written twice over)");
    }

    @Test
    void aYamlBombIsRefusedQuickly() throws IOException {
        // "billion laughs": each known key's value holds ten references to the previous one (10^13 leaves expanded)
        StringBuilder bomb = new StringBuilder("width: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        List<String> keys = List.of("model", "dataset", "epochs", "lr", "momentum", "seed", "method", "density", "scope",
                "distribution", "lr-schedule", "batch-size");
        for (int i = 0; i < keys.size(); i++) {
            bomb.append(keys.get(i)).append(": &a").append(i + 1).append(" [").append(("*a" + i + ", ").repeat(9))
                    .append("*a").append(i).append("]\n");
        }
        Path file = Files.writeString(tmp.resolve("bomb.yaml"), bomb);
        Hostile.Tally tally = new Hostile.Tally("YAML bomb");
        assertThat((Object) Hostile.read(tally, bomb.toString().getBytes(StandardCharsets.UTF_8), 5, 64L << 20,
                () -> config(file))).isNull();
    }
}
