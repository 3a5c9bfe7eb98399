package dev.chase.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chase.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The recipes shipped in {@code recipes/} stay valid configurations. */
class RecipesTest {
    private static TrainConfig parse(Path recipe) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).setDefaultValueProvider(new ConfigDefaults()).parseArgs(Recipe.flags(recipe).toArray(String[]::new));
        return cmd.options.toConfig().resolved();
    }

    @Test
    void everyShippedRecipeParsesIntoAValidConfig() throws IOException {
        List<Path> recipes;
        try (Stream<Path> files = Files.list(Path.of("recipes"))) {
            recipes = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(recipes).hasSizeGreaterThanOrEqualTo(5);
        for (Path r : recipes) {
            TrainConfig c = parse(r);
            assertThat(r.getFileName().toString()).startsWith(c.model() + "-" + c.dataset());
            if (!c.method().equals("dense")) {
                assertThat(r.getFileName().toString()).endsWith("-" + c.method() + ".yaml");
                assertThat(c.density()).isEqualTo(0.1);
                assertThat(c.updateInterval()).isEqualTo(1000);
            }
        }
        TrainConfig mest = parse(Path.of("recipes/vgg19-cifar100-mest.yaml"));
        assertThat(mest.softBoundEnd()).isEqualTo(130);
        assertThat(mest.deathRate()).isEqualTo(0.05);
        assertThat(mest.batchSize()).isEqualTo(100);
    }
}
