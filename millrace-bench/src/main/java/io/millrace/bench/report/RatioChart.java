package io.millrace.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One run's ratios Millrace/Kafka as horizontal bars on a log2 axis centred on 1: a bar to the
 * right means Millrace's number is larger. Green where Millrace did at least as well (larger
 * throughput, smaller latency, CPU, memory, start-up), red where it did worse.
 */
final class RatioChart {
    private static final int WIDTH = 960;
    private static final int ROW = 26;
    private static final int TOP = 64;
    private static final int LABEL_WIDTH = 330;
    private static final int RIGHT_MARGIN = 40;
    private static final int BOTTOM = 56;

    private RatioChart() {
    }

    static void write(Path file, String title, Comparison comparison) throws IOException {
        List<Comparison.Row> shown = comparison.rows().stream().filter(row -> !Comparison.notRun(row)).toList();
        int rows = shown.size();
        ChartCanvas c = new ChartCanvas(WIDTH, TOP + rows * ROW + BOTTOM);
        int span = ChartCanvas.log2Span(shown.stream().mapToDouble(Comparison.Row::ratio).toArray());
        int left = LABEL_WIDTH;
        int right = WIDTH - RIGHT_MARGIN;
        int center = (left + right) / 2;
        double pixelsPerPower = (right - left) / 2.0 / span;
        int bottom = TOP + rows * ROW;

        c.title(title, 16, 26);
        c.text("bar right of 1: Millrace's number is larger; green: Millrace did at least as well, red: worse",
                16, 46, Color.GRAY);
        for (int power = -span; power <= span; power++) {
            int x = (int) Math.round(center + power * pixelsPerPower);
            c.line(x, TOP - 4, x, bottom, power == 0 ? ChartCanvas.TEXT : ChartCanvas.GRID, power == 0 ? 1.5f : 1f);
            c.textCentered(ChartCanvas.tickLabel(power), x, bottom + 16, ChartCanvas.TEXT);
        }
        c.textCentered("Millrace / Kafka (log scale)", center, bottom + 36, ChartCanvas.TEXT);

        int y = TOP;
        for (Comparison.Row row : shown) {
            int baseline = y + ROW / 2 + 4;
            c.textRight(row.metric().label() + " (" + row.metric().unit() + ")", left - 10, baseline, ChartCanvas.TEXT);
            if (row.measured() && row.ratio() > 0) {
                double power = Math.max(-span, Math.min(span, Math.log(row.ratio()) / Math.log(2)));
                int end = (int) Math.round(center + power * pixelsPerPower);
                Color color = row.millraceBetter() ? ChartCanvas.BETTER : ChartCanvas.WORSE;
                c.g.setColor(color);
                c.g.fillRect(Math.min(center, end), y + 5, Math.max(2, Math.abs(end - center)), ROW - 10);
                String value = Comparison.formatRatio(row.ratio());
                if (end >= center) {
                    c.text(value, end + 4, baseline, color);
                } else {
                    c.textRight(value, end - 4, baseline, color);
                }
            } else {
                c.text("not measured", center + 6, baseline, Color.GRAY);
            }
            y += ROW;
        }
        c.save(file);
    }
}
