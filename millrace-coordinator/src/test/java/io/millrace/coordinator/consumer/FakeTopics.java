package io.millrace.coordinator.consumer;

import io.millrace.coordinator.TopicsView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/** A TopicsView the test edits: create topics, add partitions, delete. */
final class FakeTopics implements TopicsView {
    private final Map<String, TopicInfo> byName = new TreeMap<>();

    Uuid create(String name, int partitions) {
        Uuid id = Uuid.randomUuid();
        byName.put(name, new TopicInfo(name, id, partitions));
        return id;
    }

    void grow(String name, int partitions) {
        TopicInfo topic = byName.get(name);
        byName.put(name, new TopicInfo(name, topic.id(), partitions));
    }

    void delete(String name) {
        byName.remove(name);
    }

    Uuid id(String name) {
        return byName.get(name).id();
    }

    @Override
    public Optional<TopicInfo> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Optional<TopicInfo> byId(Uuid id) {
        return byName.values().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    @Override
    public Collection<TopicInfo> all() {
        return List.copyOf(byName.values());
    }
}
