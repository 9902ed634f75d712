package org.redtest.similarity;

import org.redtest.RedTestException;
import org.redtest.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Draws a CKA matrix as a PNG heatmap: units on both axes (the first unit at the bottom left), a continuous
 * viridis ramp from 0 to 1 with a colour bar labelled "CKA" whose ticks step by 0.2 and which marks the MSRS
 * threshold gamma, NaN cells (constant layers) grey, and the value in each cell, when there is room, in black or
 * white, whichever reads on the cell's colour. Two kinds of units can be marked: units a pruning method dropped
 * (red labels, outlined on the original's map) and gaps (the dropped units on a pruned model's map: rows and
 * columns left blank, so the map lines up with the original's). Drawn with Java2D, styled like the report page.
 */
public final class CkaHeatmap {
    /** Viridis key colours: perceptually even, readable in grey scale and by colour-blind readers. */
    private static final Color[] RAMP = {
            new Color(0x44, 0x01, 0x54), new Color(0x3b, 0x52, 0x8b), new Color(0x21, 0x91, 0x8c),
            new Color(0x5e, 0xc9, 0x62), new Color(0xfd, 0xe7, 0x25)};
    private static final Color NAN_GREY = new Color(0xb0, 0xb0, 0xb0);
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x55, 0x55, 0x55);
    private static final Color DROPPED = new Color(0xc0, 0x39, 0x2b);
    private static final Color GAP = new Color(0xf4, 0xf4, 0xf4);
    /** Below this many pixels per label, tick labels overlap; then only every k-th unit is labelled. */
    private static final int PIXELS_PER_LABEL = 14;
    /** Cells at least this wide show their value. */
    private static final int VALUE_CELL = 34;
    private static final int MAX_PLOT = 2000;

    /**
     * What to mark besides the values.
     *
     * @param threshold the MSRS threshold gamma, marked on the colour bar (null: none)
     * @param dropped   units a pruning method dropped: red labels, outlined rows and columns
     * @param gaps      units absent from the measured model, drawn as blank rows and columns (their values ignored)
     * @param note      what the marks mean, under the x axis (null: derived)
     */
    public record Marks(Double threshold, Set<String> dropped, Set<String> gaps, String note) {
        public static final Marks NONE = new Marks(null, Set.of(), Set.of(), null);

        public Marks {
            dropped = Set.copyOf(dropped);
            gaps = Set.copyOf(gaps);
        }

        public static Marks threshold(double gamma) {
            return new Marks(gamma, Set.of(), Set.of(), null);
        }
    }

    private CkaHeatmap() {
    }

    /**
     * Refuses a target that is an existing directory: the heatmap is one PNG file, not a file beside the
     * directory.
     */
    public static Path requireFileTarget(Path png) {
        if (Files.isDirectory(png)) {
            throw new RedTestException("heatmap target " + png + " is a directory; give a .png file path, e.g. "
                    + png.resolve("cka.png"));
        }
        return png;
    }

    public static void write(CkaMatrix matrix, String title, Path png) {
        write(matrix, title, Marks.NONE, png);
    }

    public static void write(CkaMatrix matrix, String title, Marks marks, Path png) {
        requireFileTarget(png);
        save(png(matrix, title, marks), png);
    }

    /**
     * The rectangular CKA matrix between two models' units: {@code values[i][j]} compares row unit i (of the model
     * named on the y axis) with column unit j (the x axis's model).
     */
    public static void writeCross(List<String> rows, List<String> columns, double[][] values, String title,
                                  String rowModel, String columnModel, Path png) {
        requireFileTarget(png);
        save(encode(draw(new Grid(rows, columns, values, "units of " + columnModel, "units of " + rowModel, List.of()),
                title, Marks.NONE)), png);
    }

    private static void save(byte[] bytes, Path png) {
        try {
            AtomicFiles.write(png, out -> out.write(bytes));
        } catch (IOException e) {
            throw new RedTestException("cannot write heatmap " + png + ": " + e.getMessage(), e);
        }
    }

    /** The heatmap as PNG bytes (what a report embeds without a file). */
    public static byte[] png(CkaMatrix matrix, String title, Marks marks) {
        return encode(draw(matrix, title, marks));
    }

    /** What is drawn: {@code values[r][c]} at row unit r (y axis, from the bottom) and column unit c (x axis). */
    private record Grid(List<String> rows, List<String> columns, double[][] values, String xTitle, String yTitle,
                        List<String> constantLayers) {
    }

    private static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed in memory", e);
        }
        return out.toByteArray();
    }

    static BufferedImage draw(CkaMatrix matrix, String title, Marks marks) {
        return draw(new Grid(matrix.names(), matrix.names(), matrix.values(), "unit", "unit", matrix.constantLayers()),
                title, marks);
    }

    private static BufferedImage draw(Grid grid, String title, Marks marks) {
        org.redtest.plot.Headless.ensure();
        int rows = grid.rows().size();
        int cols = grid.columns().size();
        int m = Math.max(1, Math.max(rows, cols));
        int cell = Math.max(2, Math.min(48, Math.max(560, Math.min(MAX_PLOT, 12 * m)) / m));
        int plotW = cell * cols;
        int plotH = cell * rows;
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        int step = Math.max(1, (PIXELS_PER_LABEL + cell - 1) / cell);
        List<String> rowLabels = tickLabels(grid.rows(), Math.max(1, (rows + step - 1) / step));
        List<String> colLabels = tickLabels(grid.columns(), Math.max(1, (cols + step - 1) / step));

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics lm = pg.getFontMetrics(labelFont);
        int rowLabelWidth = rowLabels.stream().mapToInt(lm::stringWidth).max().orElse(0);
        int colLabelWidth = colLabels.stream().mapToInt(lm::stringWidth).max().orElse(0);
        int bar = 18;
        int right = 26 + bar + 50;
        String note = note(grid, marks);
        int left = 36 + rowLabelWidth + 8;
        int width = Math.max(left + plotW + right, Math.min(1200, lm.stringWidth(note) + 16));
        List<String> titleLines = wrap(title, pg.getFontMetrics(titleFont), width - left - 8);
        pg.dispose();

        int top = 16 + 20 * titleLines.size() + 14;
        int bottom = colLabelWidth + 8 + 28 + (note.isEmpty() ? 0 : 20);
        int height = top + plotH + bottom;

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setFont(titleFont);
        g.setColor(TEXT);
        for (int i = 0; i < titleLines.size(); i++) {
            g.drawString(titleLines.get(i), left, 16 + 15 + 20 * i);
        }

        Font valueFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(13, cell / 3)));
        for (int i = 0; i < rows; i++) { // row i is row unit i, drawn from the bottom up
            for (int j = 0; j < cols; j++) {
                int x = left + j * cell;
                int y = top + (rows - 1 - i) * cell;
                boolean gap = marks.gaps().contains(grid.rows().get(i)) || marks.gaps().contains(grid.columns().get(j));
                double v = grid.values()[i][j];
                Color c = gap ? GAP : Double.isNaN(v) ? NAN_GREY : colour(v);
                g.setColor(c);
                g.fillRect(x, y, cell, cell);
                if (!gap && !Double.isNaN(v) && cell >= VALUE_CELL) {
                    g.setFont(valueFont);
                    g.setColor(readableOn(c));
                    String text = String.format(Locale.ROOT, "%.2f", v);
                    FontMetrics vm = g.getFontMetrics();
                    g.drawString(text, x + (cell - vm.stringWidth(text)) / 2, y + (cell + vm.getAscent() - vm.getDescent()) / 2);
                }
            }
        }
        g.setColor(MUTED);
        g.drawRect(left, top, plotW, plotH);

        // dropped units: their row and column outlined, so the eye finds them in the original's map
        g.setStroke(new BasicStroke(2f));
        g.setColor(DROPPED);
        for (int k = 0; k < cols; k++) {
            if (marked(marks, grid.columns().get(k)) && !marks.gaps().contains(grid.columns().get(k))) {
                g.drawRect(left + k * cell, top, cell, plotH);
            }
        }
        for (int k = 0; k < rows; k++) {
            if (marked(marks, grid.rows().get(k)) && !marks.gaps().contains(grid.rows().get(k))) {
                g.drawRect(left, top + (rows - 1 - k) * cell, plotW, cell);
            }
        }
        g.setStroke(new BasicStroke(1f));

        g.setFont(labelFont);
        for (int k = 0; k < rows; k++) {
            String label = rowLabels.get(k);
            if (!label.isBlank()) {
                g.setColor(marked(marks, grid.rows().get(k)) || marks.gaps().contains(grid.rows().get(k)) ? DROPPED : TEXT);
                int yCentre = top + (rows - 1 - k) * cell + cell / 2;
                g.drawString(label, left - 6 - lm.stringWidth(label), yCentre + (lm.getAscent() - lm.getDescent()) / 2);
            }
        }
        for (int k = 0; k < cols; k++) {
            String label = colLabels.get(k);
            if (!label.isBlank()) {
                g.setColor(marked(marks, grid.columns().get(k)) || marks.gaps().contains(grid.columns().get(k)) ? DROPPED : TEXT);
                AffineTransform saved = g.getTransform();
                int xCentre = left + k * cell + cell / 2;
                g.translate(xCentre + (lm.getAscent() - lm.getDescent()) / 2, top + plotH + 6 + lm.stringWidth(label));
                g.rotate(-Math.PI / 2);
                g.drawString(label, 0, 0);
                g.setTransform(saved);
            }
        }
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(grid.xTitle(), left + (plotW - fm.stringWidth(grid.xTitle())) / 2, top + plotH + colLabelWidth + 8 + 20);
        if (!note.isEmpty()) {
            g.setColor(MUTED);
            g.drawString(note, Math.max(4, left + (plotW - fm.stringWidth(note)) / 2), top + plotH + colLabelWidth + 8 + 40);
        }
        AffineTransform saved = g.getTransform();
        g.setColor(TEXT);
        g.translate(20, top + (plotH + fm.stringWidth(grid.yTitle())) / 2);
        g.rotate(-Math.PI / 2);
        g.drawString(grid.yTitle(), 0, 0);
        g.setTransform(saved);

        colourBar(g, left + plotW + 26, top, bar, plotH, marks.threshold());
        g.dispose();
        return image;
    }

    /** The colour bar: the ramp from 0 (bottom) to 1, ticks every 0.2, "CKA" above, gamma marked. */
    private static void colourBar(Graphics2D g, int x, int y, int w, int h, Double threshold) {
        for (int py = 0; py < h; py++) {
            g.setColor(colour(1.0 - (double) py / Math.max(1, h - 1)));
            g.fillRect(x, y + py, w, 1);
        }
        g.setColor(MUTED);
        g.drawRect(x, y, w, h);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(TEXT);
        g.drawString("CKA", x + (w - fm.stringWidth("CKA")) / 2, y - 6);
        for (int t = 0; t <= 5; t++) {
            int ty = y + h - (int) Math.round(t * 0.2 * h);
            g.drawLine(x + w, ty, x + w + 4, ty);
            g.drawString(String.format(Locale.ROOT, "%.1f", t * 0.2), x + w + 7, ty + (fm.getAscent() - fm.getDescent()) / 2);
        }
        if (threshold != null && threshold >= 0 && threshold <= 1) {
            int ty = y + h - (int) Math.round(threshold * h);
            g.setColor(DROPPED);
            g.setStroke(new BasicStroke(2f));
            g.drawLine(x - 4, ty, x + w + 4, ty);
            g.setStroke(new BasicStroke(1f));
            g.drawString("γ", x - 4 - fm.stringWidth("γ") - 2, ty + (fm.getAscent() - fm.getDescent()) / 2);
        }
    }

    private static boolean undefinedCells(Grid grid, Marks marks) {
        for (int i = 0; i < grid.rows().size(); i++) {
            for (int j = 0; j < grid.columns().size(); j++) {
                if (Double.isNaN(grid.values()[i][j]) && !marks.gaps().contains(grid.rows().get(i))
                        && !marks.gaps().contains(grid.columns().get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean marked(Marks marks, String unit) {
        return marks.dropped().contains(unit);
    }

    private static String note(Grid grid, Marks marks) {
        if (marks.note() != null) {
            return marks.note();
        }
        List<String> parts = new ArrayList<>();
        if (marks.threshold() != null) {
            parts.add("γ = " + marks.threshold() + ": pairs above it count towards MSRS");
        }
        if (!marks.dropped().isEmpty()) {
            parts.add("red: dropped by pruning");
        }
        if (!marks.gaps().isEmpty()) {
            parts.add("blank: units pruning removed");
        }
        if (!grid.constantLayers().isEmpty()) {
            parts.add("grey: CKA undefined, constant layers " + String.join(", ", grid.constantLayers()));
        } else if (undefinedCells(grid, marks)) {
            parts.add("grey: CKA undefined");
        }
        return String.join("; ", parts);
    }

    /** The ramp's colour at v (clamped to [0, 1]), interpolated between the key colours. */
    static Color colour(double v) {
        double t = Math.max(0, Math.min(1, v)) * (RAMP.length - 1);
        int k = Math.min(RAMP.length - 2, (int) Math.floor(t));
        double f = t - k;
        Color a = RAMP[k];
        Color b = RAMP[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /** Black on light cells, white on dark ones (relative luminance, as WCAG computes it). */
    static Color readableOn(Color c) {
        double l = 0.2126 * linear(c.getRed()) + 0.7152 * linear(c.getGreen()) + 0.0722 * linear(c.getBlue());
        return l > 0.179 ? Color.BLACK : Color.WHITE;
    }

    private static double linear(int channel) {
        double s = channel / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }

    private static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && fm.stringWidth(line + " " + word) > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * Every unit's name when they fit, otherwise every k-th with blanks between. Blanks are made
     * distinct (different lengths) in case the axis treats equal labels as one category.
     */
    static List<String> tickLabels(List<String> names, int maxLabels) {
        int step = (names.size() + maxLabels - 1) / maxLabels;
        List<String> labels = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            labels.add(i % step == 0 ? names.get(i) : " ".repeat(1 + i % step));
        }
        return labels;
    }
}
