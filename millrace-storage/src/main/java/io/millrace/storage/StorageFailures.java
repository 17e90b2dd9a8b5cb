package io.millrace.storage;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which operations on one partition log are failing (a full disk fails every append): the
 * first failure of an operation is logged as an error, repeats only at debug level, and the
 * first success after them at info, so a full disk says so once per log and operation, and once
 * again when space returns. Thread-safe.
 */
final class StorageFailures {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Object dir;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final StorageHealth health;

    StorageFailures(TopicPartition topicPartition, Object dir, StorageHealth health) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.health = health;
    }

    void failed(String what, IOException e) {
        health.failed();
        if (failing.add(what)) {
            log.error("Failed to {} the log of {} in {}: {} (repeats are not logged until it succeeds again)", what,
                    topicPartition, dir, e.toString());
        } else {
            log.debug("Failed again to {} the log of {}: {}", what, topicPartition, e.toString());
        }
    }

    void succeeded(String what) {
        if (!failing.isEmpty() && failing.remove(what)) {
            log.info("Able to {} the log of {} again", what, topicPartition);
        }
    }
}
