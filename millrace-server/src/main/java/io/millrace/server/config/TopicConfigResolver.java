package io.millrace.server.config;

import io.millrace.metadata.image.TopicImage;
import io.millrace.storage.LogConfig;

/** Effective settings of a topic: its overrides over the broker's defaults. */
public interface TopicConfigResolver {
    LogConfig logConfig(TopicImage topic);

    int minInsyncReplicas(TopicImage topic);
}
