package io.millrace.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A white Java2D canvas with the ratio axis both charts share: log2 scale, 1.0 marked,
 * ticks at powers of two. Not thread-safe; one per chart.
 */
final class ChartCanvas {
    static final Color BETTER = new Color(0x2E7D32);
    static final Color WORSE = new Color(0xC62828);
    static final Color GRID = new Color(0xDDDDDD);
    static final Color TEXT = new Color(0x222222);
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    final BufferedImage image;
    final Graphics2D g;

    ChartCanvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    /** The power of two bounding every ratio on a log2 axis: at least 1 (0.5 to 2), at most 4. */
    static int log2Span(double... ratios) {
        double max = 1;
        for (double ratio : ratios) {
            if (ratio > 0 && Double.isFinite(ratio)) {
                max = Math.max(max, Math.abs(Math.log(ratio) / Math.log(2)));
            }
        }
        return (int) Math.min(4, Math.ceil(max));
    }

    /** "0.25", "0.5", "1", "2", ... */
    static String tickLabel(int power) {
        double value = Math.pow(2, power);
        return power >= 0 ? Integer.toString((int) value) : Double.toString(value);
    }

    void title(String text, int x, int y) {
        g.setFont(TITLE);
        g.setColor(TEXT);
        g.drawString(text, x, y);
    }

    void text(String text, int x, int y, Color color) {
        g.setFont(LABEL);
        g.setColor(color);
        g.drawString(text, x, y);
    }

    void textRight(String text, int right, int y, Color color) {
        g.setFont(LABEL);
        text(text, right - g.getFontMetrics().stringWidth(text), y, color);
    }

    void textCentered(String text, int center, int y, Color color) {
        g.setFont(LABEL);
        text(text, center - g.getFontMetrics().stringWidth(text) / 2, y, color);
    }

    void line(int x1, int y1, int x2, int y2, Color color, float width) {
        g.setColor(color);
        g.setStroke(new BasicStroke(width));
        g.drawLine(x1, y1, x2, y2);
    }

    void save(Path file) throws IOException {
        g.dispose();
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("No PNG writer");
        }
    }
}
