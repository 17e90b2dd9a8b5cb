package io.millrace.coordinator.streams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * An immutable set of streams tasks: per subtopology id, the partitions of its tasks (task
 * {@code 0_3} is subtopology "0", partition 3). Sorted, so records and responses are stable.
 */
public final class Tasks {
    public static final Tasks EMPTY = new Tasks(Map.of());

    private final Map<String, SortedSet<Integer>> bySubtopology;

    private Tasks(Map<String, SortedSet<Integer>> bySubtopology) {
        this.bySubtopology = bySubtopology;
    }

    /** One task of a subtopology. */
    public record TaskId(String subtopologyId, int partition) implements Comparable<TaskId> {
        @Override
        public int compareTo(TaskId o) {
            int c = subtopologyId.compareTo(o.subtopologyId);
            return c != 0 ? c : Integer.compare(partition, o.partition);
        }

        @Override
        public String toString() {
            return subtopologyId + "_" + partition;
        }
    }

    public static Tasks of(Map<String, ? extends java.util.Collection<Integer>> tasks) {
        Map<String, SortedSet<Integer>> copy = new TreeMap<>();
        tasks.forEach((id, partitions) -> {
            if (!partitions.isEmpty()) {
                copy.put(id, Collections.unmodifiableSortedSet(new TreeSet<>(partitions)));
            }
        });
        return copy.isEmpty() ? EMPTY : new Tasks(Collections.unmodifiableMap(copy));
    }

    public static Tasks ofTasks(java.util.Collection<TaskId> tasks) {
        Map<String, List<Integer>> map = new TreeMap<>();
        tasks.forEach(t -> map.computeIfAbsent(t.subtopologyId(), k -> new ArrayList<>()).add(t.partition()));
        return of(map);
    }

    public Map<String, SortedSet<Integer>> bySubtopology() {
        return bySubtopology;
    }

    public void forEach(BiConsumer<String, SortedSet<Integer>> action) {
        bySubtopology.forEach(action);
    }

    public List<TaskId> all() {
        List<TaskId> out = new ArrayList<>();
        bySubtopology.forEach((id, ps) -> ps.forEach(p -> out.add(new TaskId(id, p))));
        return out;
    }

    public boolean contains(TaskId task) {
        SortedSet<Integer> ps = bySubtopology.get(task.subtopologyId());
        return ps != null && ps.contains(task.partition());
    }

    public boolean isEmpty() {
        return bySubtopology.isEmpty();
    }

    public int size() {
        return bySubtopology.values().stream().mapToInt(SortedSet::size).sum();
    }

    public Tasks minus(Tasks other) {
        return ofTasks(all().stream().filter(t -> !other.contains(t)).toList());
    }

    public Tasks intersect(Tasks other) {
        return ofTasks(all().stream().filter(other::contains).toList());
    }

    public Tasks plus(Tasks other) {
        List<TaskId> both = new ArrayList<>(all());
        both.addAll(other.all());
        return ofTasks(both);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tasks t && t.bySubtopology.equals(bySubtopology);
    }

    @Override
    public int hashCode() {
        return bySubtopology.hashCode();
    }

    @Override
    public String toString() {
        return all().toString();
    }
}
