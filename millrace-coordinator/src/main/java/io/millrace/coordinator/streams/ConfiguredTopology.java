package io.millrace.coordinator.streams;

import io.millrace.coordinator.TopicsView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.CopartitionGroup;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Subtopology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.Topology;
import org.apache.kafka.common.message.StreamsGroupHeartbeatRequestData.TopicInfo;

/**
 * A streams group's topology measured against the cluster's topics now (KIP-1071's "configured
 * topology"): how many tasks each subtopology has (the most partitions among its source topics),
 * how many partitions each repartition and changelog topic needs, which internal topics do not
 * exist yet, and what is wrong (missing source topics, copartitioned topics that are not).
 * Repartition topics without an explicit count take the count of the subtopology writing them;
 * copartitioned ones take the count of the external topics of their group. Stateless result.
 *
 * @param tasksPerSubtopology   subtopology id → number of tasks; empty unless {@link #ready}
 * @param missingInternalTopics topics to create (name → what to create), in topology order
 * @param problems              status codes and details for the heartbeat, none when ready
 * @param topicsHash            a hash of the names and partition counts of the topics read: it
 *                              changes when the group must be assigned again
 */
public record ConfiguredTopology(Map<String, Integer> tasksPerSubtopology, Map<String, TopicToCreate> missingInternalTopics,
                                 List<Problem> problems, long topicsHash) {

    /** StreamsGroupHeartbeat status codes, as Kafka's. */
    public static final byte MISSING_SOURCE_TOPICS = 1;
    public static final byte INCORRECTLY_PARTITIONED_TOPICS = 2;
    public static final byte MISSING_INTERNAL_TOPICS = 3;

    public record Problem(byte code, String detail) {
    }

    /** An internal topic to create: -1 replication factor means the broker's default. */
    public record TopicToCreate(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    }

    public boolean ready() {
        return problems.isEmpty();
    }

    public static ConfiguredTopology of(Topology topology, TopicsView topics) {
        Map<String, Integer> external = new HashMap<>();
        List<String> missingSources = new ArrayList<>();
        long hash = 17;
        Map<String, List<String>> sourcesBySubtopology = new LinkedHashMap<>();
        for (Subtopology s : topology.subtopologies()) {
            List<String> sources = new ArrayList<>(s.sourceTopics());
            if (s.sourceTopicRegex() != null && !s.sourceTopicRegex().isEmpty()) {
                for (String regex : s.sourceTopicRegex()) {
                    matching(regex, topics).forEach(sources::add);
                }
                if (sources.isEmpty()) {
                    missingSources.add(String.join(",", s.sourceTopicRegex()));
                }
            }
            for (String name : sources) {
                Optional<TopicsView.TopicInfo> info = topics.byName(name);
                if (info.isEmpty()) {
                    missingSources.add(name);
                } else {
                    external.put(name, info.get().partitions());
                    hash = hash * 31 + name.hashCode() * 7L + info.get().partitions();
                }
            }
            sourcesBySubtopology.put(s.subtopologyId(), sources);
        }
        if (!missingSources.isEmpty()) {
            return new ConfiguredTopology(Map.of(), Map.of(), List.of(new Problem(MISSING_SOURCE_TOPICS,
                    "Source topics " + String.join(", ", new TreeSet<>(missingSources)) + " are missing.")), hash);
        }
        Map<String, Integer> repartition = repartitionCounts(topology, sourcesBySubtopology, external);
        List<Problem> problems = new ArrayList<>();
        copartition(topology, external, repartition, problems);
        Map<String, Integer> tasks = new TreeMap<>();
        for (Subtopology s : topology.subtopologies()) {
            tasks.put(s.subtopologyId(), subtopologyCount(s, sourcesBySubtopology.get(s.subtopologyId()), external,
                    repartition));
        }
        Map<String, TopicToCreate> missing = new LinkedHashMap<>();
        for (Subtopology s : topology.subtopologies()) {
            for (TopicInfo t : s.repartitionSourceTopics()) {
                hash = internal(t, repartition.getOrDefault(t.name(), 0), topics, missing, problems, hash);
            }
            for (TopicInfo t : s.stateChangelogTopics()) {
                int count = t.partitions() > 0 ? t.partitions() : tasks.get(s.subtopologyId());
                hash = internal(t, count, topics, missing, problems, hash);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(new Problem(MISSING_INTERNAL_TOPICS, "Internal topics are missing: "
                    + String.join(", ", missing.keySet())));
        }
        return new ConfiguredTopology(problems.isEmpty() ? tasks : Map.of(), missing, problems, hash);
    }

    private static long internal(TopicInfo t, int partitions, TopicsView topics, Map<String, TopicToCreate> missing,
                                 List<Problem> problems, long hash) {
        Optional<TopicsView.TopicInfo> info = topics.byName(t.name());
        if (info.isEmpty()) {
            Map<String, String> configs = new TreeMap<>();
            t.topicConfigs().forEach(kv -> configs.put(kv.key(), kv.value()));
            missing.putIfAbsent(t.name(), new TopicToCreate(t.name(), Math.max(partitions, 1), t.replicationFactor(),
                    configs));
            return hash;
        }
        if (partitions > 0 && info.get().partitions() != partitions) {
            problems.add(new Problem(INCORRECTLY_PARTITIONED_TOPICS, "Internal topic " + t.name() + " has "
                    + info.get().partitions() + " partitions, expected " + partitions + "."));
        }
        return hash * 31 + t.name().hashCode() * 7L + info.get().partitions();
    }

    /** Repartition topic → partitions: explicit, else of the subtopology writing it, to a fixed point. */
    private static Map<String, Integer> repartitionCounts(Topology topology, Map<String, List<String>> sources,
                                                          Map<String, Integer> external) {
        Map<String, Integer> counts = new HashMap<>();
        for (Subtopology s : topology.subtopologies()) {
            for (TopicInfo t : s.repartitionSourceTopics()) {
                if (t.partitions() > 0) {
                    counts.put(t.name(), t.partitions());
                }
            }
        }
        boolean changed = true;
        for (int round = 0; changed && round <= topology.subtopologies().size() + 1; round++) {
            changed = false;
            for (Subtopology s : topology.subtopologies()) {
                int n = subtopologyCount(s, sources.get(s.subtopologyId()), external, counts);
                if (n <= 0) {
                    continue;
                }
                for (String sink : s.repartitionSinkTopics()) {
                    if (!isExplicit(topology, sink) && counts.getOrDefault(sink, 0) < n) {
                        counts.put(sink, n);
                        changed = true;
                    }
                }
            }
        }
        return counts;
    }

    private static boolean isExplicit(Topology topology, String repartitionTopic) {
        return topology.subtopologies().stream().flatMap(s -> s.repartitionSourceTopics().stream())
                .anyMatch(t -> t.name().equals(repartitionTopic) && t.partitions() > 0);
    }

    private static int subtopologyCount(Subtopology s, List<String> sources, Map<String, Integer> external,
                                        Map<String, Integer> repartition) {
        int n = 0;
        for (String name : sources) {
            n = Math.max(n, external.getOrDefault(name, 0));
        }
        for (TopicInfo t : s.repartitionSourceTopics()) {
            n = Math.max(n, repartition.getOrDefault(t.name(), 0));
        }
        return n;
    }

    /** Copartition groups: external topics must agree; repartition topics follow them. */
    private static void copartition(Topology topology, Map<String, Integer> external, Map<String, Integer> repartition,
                                    List<Problem> problems) {
        for (Subtopology s : topology.subtopologies()) {
            for (CopartitionGroup g : s.copartitionGroups()) {
                TreeSet<Integer> externalCounts = new TreeSet<>();
                List<String> names = new ArrayList<>();
                for (short i : g.sourceTopics()) {
                    if (i >= 0 && i < s.sourceTopics().size()) {
                        String name = s.sourceTopics().get(i);
                        names.add(name);
                        externalCounts.add(external.getOrDefault(name, 0));
                    }
                }
                if (externalCounts.size() > 1) {
                    problems.add(new Problem(INCORRECTLY_PARTITIONED_TOPICS, "Following topics do not have the same"
                            + " number of partitions: " + names));
                    continue;
                }
                int target = externalCounts.isEmpty() ? 0 : externalCounts.first();
                List<String> repartitionNames = new ArrayList<>();
                for (short i : g.repartitionSourceTopics()) {
                    if (i >= 0 && i < s.repartitionSourceTopics().size()) {
                        TopicInfo t = s.repartitionSourceTopics().get(i);
                        repartitionNames.add(t.name());
                        if (externalCounts.isEmpty()) {
                            target = Math.max(target, repartition.getOrDefault(t.name(), 0));
                        }
                    }
                }
                for (String name : repartitionNames) {
                    if (!isExplicit(topology, name)) {
                        repartition.put(name, target);
                    }
                }
            }
        }
    }

    private static List<String> matching(String regex, TopicsView topics) {
        try {
            Pattern p = Pattern.compile(regex);
            return topics.all().stream().map(TopicsView.TopicInfo::name).filter(n -> p.matcher(n).matches()).sorted()
                    .toList();
        } catch (PatternSyntaxException e) {
            return List.of();
        }
    }
}
