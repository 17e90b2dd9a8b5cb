package io.millrace.coordinator;

import java.util.Collection;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * The topics the cluster has now, as the group coordinator needs them (subscriptions, regex
 * matching, server-side assignment). Implemented by the server over the metadata image.
 * Thread-safe; each call reads the latest metadata.
 */
public interface TopicsView {

    /** One topic's identity and partition count. */
    record TopicInfo(String name, Uuid id, int partitions) {
    }

    Optional<TopicInfo> byName(String name);

    Optional<TopicInfo> byId(Uuid id);

    Collection<TopicInfo> all();
}
