package io.millrace.server.coordinator;

import io.millrace.coordinator.TopicsView;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;

/** The coordinator's view of topics, read from the latest metadata image. Thread-safe. */
public final class MetadataTopicsView implements TopicsView {
    private final Supplier<MetadataImage> image;

    public MetadataTopicsView(Supplier<MetadataImage> image) {
        this.image = image;
    }

    @Override
    public Optional<TopicInfo> byName(String name) {
        return name == null ? Optional.empty() : image.get().topic(name).map(MetadataTopicsView::info);
    }

    @Override
    public Optional<TopicInfo> byId(Uuid id) {
        return id == null ? Optional.empty() : image.get().topic(id).map(MetadataTopicsView::info);
    }

    @Override
    public Collection<TopicInfo> all() {
        return image.get().topics().stream().map(MetadataTopicsView::info).toList();
    }

    private static TopicInfo info(TopicImage topic) {
        return new TopicInfo(topic.name(), topic.topicId(), topic.partitionCount());
    }
}
