package io.millrace.console;

import io.millrace.console.HttpFront.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The throughput page (messages and bytes per second in, messages per second out, per topic) and
 * the JSON the console's charts poll: {@code {"datasets":[{"label":..,"t":[ms..],"v":[..]}]}}.
 * Thread-safe: reads the {@link History} only.
 */
final class ThroughputPage {

    private static final Map<String, String> SERIES = Map.of(
            "messagesIn", "messages/s in", "bytesIn", "bytes/s in", "messagesOut", "messages/s out (committed)");

    private final History history;
    private final boolean actionsEnabled;
    private final long intervalMs;
    private final long historyMs;

    ThroughputPage(History history, boolean actionsEnabled, long intervalMs, long historyMs) {
        this.history = history;
        this.actionsEnabled = actionsEnabled;
        this.intervalMs = intervalMs;
        this.historyMs = historyMs;
    }

    Response render() {
        Html html = new Html("Throughput", actionsEnabled);
        html.raw("<p>Per topic, sampled by the console every ").text(intervalMs / 1000.0).raw(" s over the last ")
                .text(historyMs / 60_000).raw(" minutes. <b>In</b> is the growth of the partitions' log-end offsets "
                        + "(messages) and of their size on disk (bytes; retention deleting data counts as none). "
                        + "<b>Out</b> is what consumer groups committed (the growth of their committed offsets, summed "
                        + "over groups), not what was fetched: consumers without a group or that do not commit are not "
                        + "counted.</p>");
        html.raw("<h2>Messages per second in</h2>").chart("messages-in-chart", "/api/throughput?series=messagesIn");
        html.raw("<h2>Bytes per second in</h2>").chart("bytes-in-chart", "/api/throughput?series=bytesIn");
        html.raw("<h2>Messages per second out (committed by groups)</h2>")
                .chart("messages-out-chart", "/api/throughput?series=messagesOut");
        return Response.html(200, html.finish());
    }

    /**
     * With a topic: one dataset per series named in {@code series} (comma-separated); without:
     * one dataset per topic of the first series named.
     */
    Response json(String topic, String series) {
        long since = System.currentTimeMillis() - historyMs;
        List<String> names = new ArrayList<>();
        for (String s : series.split(",")) {
            if (SERIES.containsKey(s.strip())) {
                names.add(s.strip());
            }
        }
        if (names.isEmpty()) {
            names.add("messagesIn");
        }
        StringBuilder json = new StringBuilder("{\"datasets\":[");
        if (!topic.isEmpty()) {
            History.TopicRates rates = history.throughput(topic, since);
            for (int i = 0; i < names.size(); i++) {
                dataset(json, i > 0, SERIES.get(names.get(i)), pick(rates, names.get(i)));
            }
        } else {
            boolean comma = false;
            for (String t : history.topics()) {
                dataset(json, comma, t, pick(history.throughput(t, since), names.get(0)));
                comma = true;
            }
        }
        return Response.json(json.append("]}").toString());
    }

    /** The group's total lag, and its lag per topic when it commits on more than one. */
    Response lagJson(String group) {
        StringBuilder json = new StringBuilder("{\"datasets\":[");
        long since = System.currentTimeMillis() - historyMs;
        dataset(json, false, "lag of " + group, history.lag(group, since));
        Map<String, Rates.Points> byTopic = history.lagByTopic(group, since);
        if (byTopic.size() > 1) {
            byTopic.forEach((topic, points) -> dataset(json, true, topic, points));
        }
        return Response.json(json.append("]}").toString());
    }

    private static Rates.Points pick(History.TopicRates rates, String series) {
        return switch (series) {
            case "bytesIn" -> rates.bytesIn();
            case "messagesOut" -> rates.messagesOut();
            default -> rates.messagesIn();
        };
    }

    private static void dataset(StringBuilder json, boolean comma, String label, Rates.Points points) {
        json.append(comma ? "," : "").append("{\"label\":").append(Json.quote(label)).append(",\"t\":[");
        for (int i = 0; i < points.times().length; i++) {
            json.append(i > 0 ? "," : "").append(points.times()[i]);
        }
        json.append("],\"v\":[");
        for (int i = 0; i < points.values().length; i++) {
            double v = points.values()[i];
            json.append(i > 0 ? "," : "").append(v == Math.rint(v) ? String.valueOf((long) v) : String.format(java.util.Locale.ROOT, "%.2f", v));
        }
        json.append("]}");
    }
}
