package dev.chase.report;

import dev.chase.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.ClusteredXYBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The project's charts, drawn with JFreeChart in headless mode and written as PNG files
 * atomically or as PNG bytes to embed: a line chart of series against a numeric x (usually the
 * epoch), a histogram over given bins, a grouped bar chart over named categories, and a scatter of
 * labelled dots. One plain theme for all, so analyses and reports look alike.
 */
public final class Charts {
    static {
        // Charts are drawn off-screen; without this AWT may look for a display and fail on servers.
        System.setProperty("java.awt.headless", "true");
    }

    /** Colours of series, in order: distinguishable on white (no yellow), colour-blind friendly first. */
    private static final Color[] PALETTE = {
        new Color(0x1F77B4), new Color(0xFF7F0E), new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};

    /** Declared after the palette, which it uses. */
    private static final StandardChartTheme THEME = theme();

    /**
     * A named line: y[i] at x[i].
     *
     * @param colour index into the palette, so related series can share a colour; -1 for the next one in order
     * @param dashed draw the line dashed (e.g. a second family of the same quantities)
     */
    public record Series(String name, double[] x, double[] y, int colour, boolean dashed) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y values");
            }
        }

        /** A solid line in the next colour. */
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, -1, false);
        }
    }

    private Charts() {}

    /** Lines (with point markers) of several series against a numeric x axis. */
    public static JFreeChart lines(String title, String xLabel, String yLabel, List<Series> series) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                xy.add(s.x()[i], s.y()[i]);
            }
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setAutoRangeIncludesZero(false);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        XYPlot plot = new XYPlot(data, x, new NumberAxis(yLabel), renderer);
        JFreeChart chart = finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
        // after the theme, which resets series paints
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            renderer.setSeriesPaint(i, PALETTE[Math.floorMod(s.colour() < 0 ? i : s.colour(), PALETTE.length)]);
            renderer.setSeriesStroke(i, s.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke(2f));
        }
        return chart;
    }

    /**
     * A histogram: bars over the bins [edges[i], edges[i+1]), one bar per series in each bin, side
     * by side.
     *
     * @param edges bin edges, ascending (one more than the counts of each series)
     * @param counts per series name, the count of each bin
     */
    public static JFreeChart histogram(String title, String xLabel, String yLabel, double[] edges, Map<String, long[]> counts) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        counts.forEach((name, c) -> {
            if (c.length != edges.length - 1) {
                throw new IllegalArgumentException("series " + name + " has " + c.length + " counts for " + (edges.length - 1) + " bins");
            }
            XYIntervalSeries s = new XYIntervalSeries(name);
            for (int i = 0; i < c.length; i++) {
                s.add((edges[i] + edges[i + 1]) / 2, edges[i], edges[i + 1], c[i], c[i], c[i]);
            }
            data.addSeries(s);
        });
        ClusteredXYBarRenderer renderer = new ClusteredXYBarRenderer(0.1, false);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(data, new NumberAxis(xLabel), y, renderer);
        return finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, counts.size() > 1));
    }

    /**
     * Grouped vertical bars: one group per category, one bar per series in each group.
     *
     * @param values per series name, one value per category
     */
    public static JFreeChart bars(String title, String categoryLabel, String valueLabel, List<String> categories,
            Map<String, double[]> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        values.forEach((name, v) -> {
            if (v.length != categories.size()) {
                throw new IllegalArgumentException("series " + name + " has " + v.length + " values for " + categories.size()
                        + " categories");
            }
            for (int i = 0; i < v.length; i++) {
                data.addValue(v[i], name, categories.get(i));
            }
        });
        CategoryAxis x = new CategoryAxis(categoryLabel);
        x.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        x.setMaximumCategoryLabelWidthRatio(2f);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0);
        CategoryPlot plot = new CategoryPlot(data, x, new NumberAxis(valueLabel), renderer);
        return finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, values.size() > 1));
    }

    /**
     * A labelled point of a scatter chart.
     *
     * @param series the legend entry (and colour) it belongs to
     * @param label the text drawn next to the dot
     */
    public record Point(String series, String label, double x, double y) {}

    /**
     * Labelled dots, one per point, coloured by series (the style of the Chase paper's Figure 1:
     * accuracy against cost, one dot per model).
     */
    public static JFreeChart scatter(String title, String xLabel, String yLabel, List<Point> points) {
        Map<String, List<Point>> bySeries = new LinkedHashMap<>();
        points.forEach(p -> bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p));
        XYSeriesCollection data = new XYSeriesCollection();
        List<List<Point>> order = new ArrayList<>();
        bySeries.forEach((name, ps) -> {
            // allow duplicate x and keep insertion order, so item i is ps.get(i)
            XYSeries xy = new XYSeries(name, false, true);
            ps.forEach(p -> xy.add(p.x(), p.y()));
            data.addSeries(xy);
            order.add(ps);
        });
        NumberAxis x = scatterAxis(xLabel, points.stream().mapToDouble(Point::x).toArray());
        NumberAxis y = scatterAxis(yLabel, points.stream().mapToDouble(Point::y).toArray());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setDefaultItemLabelGenerator((dataset, series, item) -> order.get(series).get(item).label());
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        XYPlot plot = new XYPlot(data, x, y, renderer);
        // room for the labels of the outermost dots
        x.setUpperMargin(0.15);
        x.setLowerMargin(0.1);
        y.setUpperMargin(0.1);
        y.setLowerMargin(0.1);
        JFreeChart chart = finish(new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true));
        Shape dot = new Ellipse2D.Double(-5, -5, 10, 10);
        for (int i = 0; i < order.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesShape(i, dot);
        }
        return chart;
    }

    /**
     * An axis fitted to the values without zero; a single value (or equal ones) gets a range of
     * a fifth of its magnitude around it rather than a degenerate one.
     */
    private static NumberAxis scatterAxis(String label, double[] values) {
        NumberAxis axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        double magnitude = Arrays.stream(values).map(Math::abs).max().orElse(0);
        axis.setAutoRangeMinimumSize(magnitude > 0 ? magnitude / 5 : 1);
        return axis;
    }

    /** The chart as a PNG image of the given size. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        try {
            return ChartUtils.encodeAsPNG(chart.createBufferedImage(width, height));
        } catch (IOException e) {
            // encoding into memory does no I/O that could fail
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG image atomically. */
    public static void writePng(Path file, byte[] png) {
        AtomicFiles.write(file, out -> out.write(png));
    }

    /** Writes the chart as a PNG image of the given size, atomically. */
    public static void writePng(Path file, JFreeChart chart, int width, int height) {
        writePng(file, png(chart, width, height));
    }

    private static JFreeChart finish(JFreeChart chart) {
        THEME.apply(chart);
        return chart;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme t = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
        t.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        t.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        t.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        t.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        t.setChartBackgroundPaint(Color.WHITE);
        t.setPlotBackgroundPaint(Color.WHITE);
        t.setDomainGridlinePaint(new Color(0xDDDDDD));
        t.setRangeGridlinePaint(new Color(0xDDDDDD));
        t.setBarPainter(new StandardBarPainter());
        t.setXYBarPainter(new StandardXYBarPainter());
        t.setShadowVisible(false);
        t.setDrawingSupplier(new DefaultDrawingSupplier(PALETTE, DefaultDrawingSupplier.DEFAULT_FILL_PAINT_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_PAINT_SEQUENCE, DefaultDrawingSupplier.DEFAULT_STROKE_SEQUENCE,
                DefaultDrawingSupplier.DEFAULT_OUTLINE_STROKE_SEQUENCE, DefaultDrawingSupplier.DEFAULT_SHAPE_SEQUENCE));
        return t;
    }
}
