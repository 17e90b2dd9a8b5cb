package io.millrace.console;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The last hour (or whatever the capacity covers) of throughput per topic and lag per consumer
 * group, in bounded rings, fed one {@link Observation} at a time by the sampler.
 *
 * <p>Throughput is kept as cumulative counters that only grow: messages in adds each partition's
 * log-end offset growth, bytes in each partition's growth on disk (retention shrinking a log adds
 * nothing), messages out each group's committed offset growth, counted only for a group seen in
 * both passes (a group appearing or going away is no burst of consumption). Rates are deltas of
 * these counters; "out" is therefore what groups committed, not what was fetched. Lag is the sum
 * over a group's committed partitions of log-end offset minus committed offset, kept in total and
 * per topic.
 *
 * <p>Thread-safe: the sampler thread writes, HTTP threads read, all under this object's lock.
 */
final class History {

    /** The three throughput counters of one topic. */
    private record TopicCounters(SeriesRing messagesIn, SeriesRing bytesIn, SeriesRing messagesOut) {
    }

    /** The rates of one topic, each a chart series. */
    record TopicRates(Rates.Points messagesIn, Rates.Points bytesIn, Rates.Points messagesOut) {
    }

    private final int capacity;
    private final Map<String, TopicCounters> topics = new HashMap<>();
    private final Map<String, SeriesRing> groupLag = new HashMap<>();
    private final Map<String, Map<String, SeriesRing>> groupTopicLag = new HashMap<>();
    private final Map<String, long[]> totals = new HashMap<>();
    private Observation last;

    /** @param capacity samples kept per series (an hour / the sampling interval, plus one) */
    History(int capacity) {
        this.capacity = capacity;
    }

    synchronized void record(Observation now) {
        Map<String, long[]> grown = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : now.endOffsets().entrySet()) {
            long[] t = grown.computeIfAbsent(e.getKey().topic(), k -> new long[3]);
            Long before = last == null ? null : last.endOffsets().get(e.getKey());
            if (before != null) {
                t[0] += Math.max(0, e.getValue() - before);
            }
            Long size = now.sizes().get(e.getKey());
            Long sizeBefore = last == null ? null : last.sizes().get(e.getKey());
            if (size != null && sizeBefore != null) {
                t[1] += Math.max(0, size - sizeBefore);
            }
        }
        for (Map.Entry<String, Map<TopicPartition, Long>> group : now.committed().entrySet()) {
            Map<TopicPartition, Long> before = last == null ? null : last.committed().get(group.getKey());
            long lag = 0;
            Map<String, Long> lagByTopic = new HashMap<>();
            for (Map.Entry<TopicPartition, Long> e : group.getValue().entrySet()) {
                Long end = now.endOffsets().get(e.getKey());
                if (end != null) {
                    lag += Math.max(0, end - e.getValue());
                    lagByTopic.merge(e.getKey().topic(), Math.max(0, end - e.getValue()), Long::sum);
                }
                Long was = before == null ? null : before.get(e.getKey());
                long[] t = grown.get(e.getKey().topic());
                if (was != null && t != null) {
                    t[2] += Math.max(0, e.getValue() - was);
                }
            }
            groupLag.computeIfAbsent(group.getKey(), k -> new SeriesRing(capacity)).add(now.timeMs(), lag);
            Map<String, SeriesRing> perTopic = groupTopicLag.computeIfAbsent(group.getKey(), k -> new HashMap<>());
            lagByTopic.forEach((topic, topicLag) ->
                    perTopic.computeIfAbsent(topic, k -> new SeriesRing(capacity)).add(now.timeMs(), topicLag));
            perTopic.keySet().retainAll(lagByTopic.keySet());
        }
        groupLag.keySet().retainAll(now.committed().keySet());
        groupTopicLag.keySet().retainAll(now.committed().keySet());
        for (Map.Entry<String, long[]> e : grown.entrySet()) {
            long[] total = totals.computeIfAbsent(e.getKey(), k -> new long[3]);
            TopicCounters rings = topics.computeIfAbsent(e.getKey(), k ->
                    new TopicCounters(new SeriesRing(capacity), new SeriesRing(capacity), new SeriesRing(capacity)));
            for (int i = 0; i < 3; i++) {
                total[i] += e.getValue()[i];
            }
            rings.messagesIn().add(now.timeMs(), total[0]);
            rings.bytesIn().add(now.timeMs(), total[1]);
            rings.messagesOut().add(now.timeMs(), total[2]);
        }
        topics.keySet().retainAll(grown.keySet());
        totals.keySet().retainAll(grown.keySet());
        last = now;
    }

    /** Topic names with throughput history, sorted. */
    synchronized List<String> topics() {
        return List.copyOf(new TreeSet<>(topics.keySet()));
    }

    /** Rates of {@code topic} since {@code sinceMs}; empty series when it is unknown. */
    synchronized TopicRates throughput(String topic, long sinceMs) {
        TopicCounters c = topics.get(topic);
        if (c == null) {
            Rates.Points none = new Rates.Points(new long[0], new double[0]);
            return new TopicRates(none, none, none);
        }
        return new TopicRates(Rates.perSecond(c.messagesIn(), sinceMs), Rates.perSecond(c.bytesIn(), sinceMs),
                Rates.perSecond(c.messagesOut(), sinceMs));
    }

    /** Total lag of {@code group} since {@code sinceMs}; an empty series when it is unknown. */
    synchronized Rates.Points lag(String group, long sinceMs) {
        SeriesRing ring = groupLag.get(group);
        return ring == null ? new Rates.Points(new long[0], new double[0]) : Rates.gauge(ring, sinceMs);
    }

    /** Lag of {@code group} per topic since {@code sinceMs}, by topic name (sorted); empty when unknown. */
    synchronized Map<String, Rates.Points> lagByTopic(String group, long sinceMs) {
        Map<String, Rates.Points> byTopic = new java.util.TreeMap<>();
        groupTopicLag.getOrDefault(group, Map.of()).forEach((topic, ring) -> byTopic.put(topic, Rates.gauge(ring, sinceMs)));
        return byTopic;
    }

    /** When the last pass was recorded, or -1 before the first. */
    synchronized long lastSampleMs() {
        return last == null ? -1 : last.timeMs();
    }
}
