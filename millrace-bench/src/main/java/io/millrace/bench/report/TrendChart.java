package io.millrace.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headline ratios Millrace/Kafka across saved runs, read from {@code history.csv}: one line per
 * metric, runs left to right, log2 axis. Only "full" runs are drawn once there are any, so
 * smoke runs do not blur the trend.
 */
final class TrendChart {
    private static final List<Metric> HEADLINE = List.of(Metric.PRODUCE_ACKS1_P6_RECORDS,
            Metric.PRODUCE_ACKSALL_P6_RECORDS, Metric.CONSUME_P6_RECORDS, Metric.LATENCY_P99, Metric.CPU_PER_GB,
            Metric.PEAK_RSS, Metric.STARTUP_TO_FIRST_ACK);
    private static final Color[] COLORS = {new Color(0x1565C0), new Color(0x6A1B9A), new Color(0x00838F),
        new Color(0xEF6C00), new Color(0x5D4037), new Color(0xAD1457), new Color(0x558B2F)};
    private static final int WIDTH = 1040;
    private static final int HEIGHT = 480;
    private static final int LEFT = 60;
    private static final int RIGHT = 330;
    private static final int TOP = 64;
    private static final int BOTTOM = 60;

    private TrendChart() {
    }

    static void write(Path file, Path history) throws IOException {
        Map<String, Map<String, Double>> runs = readRuns(history);
        List<String> stamps = new ArrayList<>(runs.keySet());
        ChartCanvas c = new ChartCanvas(WIDTH, HEIGHT);
        int span = ChartCanvas.log2Span(runs.values().stream().flatMap(m -> m.values().stream())
                .mapToDouble(Double::doubleValue).toArray());
        int plotRight = WIDTH - RIGHT;
        int plotBottom = HEIGHT - BOTTOM;
        int middle = (TOP + plotBottom) / 2;
        double pixelsPerPower = (plotBottom - TOP) / 2.0 / span;

        c.title("Millrace / Kafka across runs (" + stamps.size() + " run" + (stamps.size() == 1 ? "" : "s") + ")",
                16, 28);
        c.text("throughput: above 1 is better; latency, CPU, RSS, start-up: below 1 is better", 16, 44, Color.GRAY);
        for (int power = -span; power <= span; power++) {
            int y = (int) Math.round(middle - power * pixelsPerPower);
            c.line(LEFT, y, plotRight, y, power == 0 ? ChartCanvas.TEXT : ChartCanvas.GRID, power == 0 ? 1.5f : 1f);
            c.textRight(ChartCanvas.tickLabel(power), LEFT - 6, y + 4, ChartCanvas.TEXT);
        }
        double step = stamps.size() > 1 ? (plotRight - LEFT - 40.0) / (stamps.size() - 1) : 0;
        int labelEvery = Math.max(1, (int) Math.ceil(stamps.size() / 8.0));
        for (int i = 0; i < stamps.size(); i++) {
            if (i % labelEvery == 0 || i == stamps.size() - 1) {
                c.textCentered(stamps.get(i).substring(5), xOf(i, step, stamps.size()), plotBottom + 18,
                        ChartCanvas.TEXT);
            }
        }
        c.textCentered("run (UTC)", (LEFT + plotRight) / 2, plotBottom + 40, ChartCanvas.TEXT);

        for (int m = 0; m < HEADLINE.size(); m++) {
            Metric metric = HEADLINE.get(m);
            Color color = COLORS[m % COLORS.length];
            int previousX = -1;
            int previousY = -1;
            for (int i = 0; i < stamps.size(); i++) {
                Double ratio = runs.get(stamps.get(i)).get(metric.key());
                if (ratio == null || ratio <= 0) {
                    previousX = -1;
                    continue;
                }
                double power = Math.max(-span, Math.min(span, Math.log(ratio) / Math.log(2)));
                int x = xOf(i, step, stamps.size());
                int y = (int) Math.round(middle - power * pixelsPerPower);
                if (previousX >= 0) {
                    c.line(previousX, previousY, x, y, color, 2f);
                }
                c.g.setColor(color);
                c.g.fillOval(x - 4, y - 4, 8, 8);
                previousX = x;
                previousY = y;
            }
            int legendY = TOP + 10 + m * 22;
            c.g.setColor(color);
            c.g.fillRect(plotRight + 20, legendY - 9, 14, 10);
            c.text(metric.label(), plotRight + 40, legendY, ChartCanvas.TEXT);
        }
        c.save(file);
    }

    private static int xOf(int index, double step, int count) {
        return count == 1 ? (LEFT + WIDTH - RIGHT) / 2 : (int) Math.round(LEFT + 20 + index * step);
    }

    /** stamp → (metric key → ratio), in file order; full runs only when there are any. */
    private static Map<String, Map<String, Double>> readRuns(Path history) throws IOException {
        Map<String, Map<String, Double>> all = new LinkedHashMap<>();
        Map<String, Map<String, Double>> full = new LinkedHashMap<>();
        for (String line : Files.readAllLines(history)) {
            String[] f = line.split(",");
            if (f.length != 8 || line.equals(ResultsWriter.HISTORY_HEADER)) {
                continue;
            }
            double ratio = Double.parseDouble(f[7]);
            all.computeIfAbsent(f[0], s -> new LinkedHashMap<>()).put(f[3], ratio);
            if (f[1].equals("full")) {
                full.computeIfAbsent(f[0], s -> new LinkedHashMap<>()).put(f[3], ratio);
            }
        }
        return full.isEmpty() ? all : full;
    }
}
