package io.millrace.server;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.image.TopicImage;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;

/**
 * Finds topics in the current metadata by name or, for request versions that carry them, by
 * topic id. Thread-safe: reads the latest immutable image.
 */
public final class TopicNameResolver {
    private final Supplier<MetadataImage> image;

    public TopicNameResolver(Supplier<MetadataImage> image) {
        this.image = image;
    }

    public MetadataImage image() {
        return image.get();
    }

    /** By id when one is given (not zero), else by name. */
    public Optional<TopicImage> find(String name, Uuid topicId) {
        MetadataImage current = image.get();
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return current.topic(topicId);
        }
        return name == null ? Optional.empty() : current.topic(name);
    }

    /** The topic's name: {@code name} unless an id is given (not zero), else the name of that id; null when the id is unknown. */
    public String nameOf(String name, Uuid topicId) {
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return image.get().topic(topicId).map(TopicImage::name).orElse(null);
        }
        return name;
    }
}
