package dev.chase.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart helpers draw headless, write decodable PNGs of the asked size, and refuse mismatched data. */
class ChartsTest {
    @TempDir
    Path tmp;

    @Test
    void everyKindOfChartBecomesAPngOfTheAskedSize() throws IOException {
        double[] epochs = {1, 2, 3};
        List<JFreeChart> charts = List.of(
                Charts.lines("t", "epoch", "%", List.of(new Charts.Series("a", epochs, new double[] {1, 2, 3}),
                        new Charts.Series("b", epochs, new double[] {3, 2, 1}, 0, true))),
                Charts.histogram("t", "x", "n", new double[] {0, 0.5, 1}, Map.of("all", new long[] {3, 4})),
                Charts.bars("t", "layer", "%", List.of("conv1", "conv2"), Map.of("s", new double[] {1, 2})));
        for (int i = 0; i < charts.size(); i++) {
            Path png = tmp.resolve("c" + i + ".png");
            Charts.writePng(png, charts.get(i), 320, 200);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(320);
            assertThat(image.getHeight()).isEqualTo(200);
        }
        // nothing but the charts: the temporary files were renamed
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("c0.png", "c1.png", "c2.png");
        }
    }

    @Test
    void scatterLabelsEveryDotWithItsRunAndColoursBySeries() {
        List<Charts.Point> points = List.of(new Charts.Point("chase", "c-0.3", 0.7, 91.5), new Charts.Point("rigl", "r", 1.0, 92),
                new Charts.Point("chase", "c-0.5", 0.7, 90.1));
        JFreeChart chart = Charts.scatter("t", "FLOPs", "accuracy", points);
        XYPlot plot = (XYPlot) chart.getPlot();
        XYDataset data = plot.getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(2);
        assertThat(data.getSeriesKey(0)).isEqualTo("chase");
        // two dots at the same x stay two dots, each with its own label
        assertThat(data.getItemCount(0)).isEqualTo(2);
        XYItemRenderer renderer = plot.getRenderer();
        assertThat(renderer.getItemLabelGenerator(0, 1).generateLabel(data, 0, 1)).isEqualTo("c-0.5");
        assertThat(data.getYValue(0, 1)).isEqualTo(90.1);
        assertThat(renderer.getItemLabelGenerator(1, 0).generateLabel(data, 1, 0)).isEqualTo("r");
        assertThat(renderer.getSeriesPaint(0)).isNotEqualTo(renderer.getSeriesPaint(1));
        assertThat(renderer.isSeriesItemLabelsVisible(0)).isTrue();
    }

    @Test
    void pngBytesDecode() throws IOException {
        byte[] png = Charts.png(Charts.scatter("t", "x", "y", List.of(new Charts.Point("s", "only", 1, 2))), 300, 200);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(200);
    }

    @Test
    void refusesDataThatDoesNotFit() {
        assertThatThrownBy(() -> new Charts.Series("a", new double[] {1, 2}, new double[] {1}))
                .hasMessageContaining("series a has 2 x and 1 y values");
        assertThatThrownBy(() -> Charts.histogram("t", "x", "n", new double[] {0, 1}, Map.of("all", new long[] {1, 2})))
                .hasMessageContaining("2 counts for 1 bins");
        assertThatThrownBy(() -> Charts.bars("t", "l", "v", List.of("a"), Map.of("s", new double[] {1, 2})))
                .hasMessageContaining("2 values for 1 categories");
    }
}
