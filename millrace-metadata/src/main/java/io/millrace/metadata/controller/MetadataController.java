package io.millrace.metadata.controller;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.journal.MetadataJournal;
import io.millrace.metadata.records.ConfigRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.ProducerIdsRecord;
import io.millrace.metadata.records.RemoveTopicRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: accepts metadata commands, turns each into records (validating against the
 * current image), makes them durable in the journal, then replays them into a new image and
 * tells the listeners.
 *
 * <p>Threads: one, "metadata-controller", owns the image and runs every command in arrival
 * order; callers get futures. {@link #image()} may be read from any thread (volatile, immutable).
 */
public final class MetadataController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataController.class);

    private final MetadataJournal journal;
    private final TopicCommands topicCommands;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "metadata-controller");
        t.setDaemon(true);
        return t;
    });
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    public MetadataController(MetadataJournal journal, PlacementSettings placement, TopicConfigValidator validator) {
        this.journal = journal;
        this.topicCommands = new TopicCommands(placement, validator);
        List<MetadataRecord> history = journal.readAll();
        this.image = MetadataImage.EMPTY.apply(history);
        log.info("Metadata loaded: {} topics from {} records", image.topicsById().size(), history.size());
    }

    public MetadataImage image() {
        return image;
    }

    /** Adds a listener and tells it of the current image at once (previous = EMPTY). */
    public CompletableFuture<Void> register(MetadataListener listener) {
        return submit(() -> {
            listeners.add(listener);
            listener.onImage(MetadataImage.EMPTY, image);
            return null;
        });
    }

    public CompletableFuture<List<CreateTopicResult>> createTopics(List<TopicSpec> specs, boolean validateOnly) {
        return write(img -> topicCommands.createTopics(img, specs, validateOnly));
    }

    /** Deletes the topics with these ids; the error of each, in order. */
    public CompletableFuture<List<ApiError>> deleteTopics(List<Uuid> topicIds) {
        return write(img -> {
            List<MetadataRecord> records = new ArrayList<>();
            List<ApiError> results = new ArrayList<>();
            for (Uuid id : topicIds) {
                if (img.topic(id).isEmpty()) {
                    results.add(ApiError.of(Errors.UNKNOWN_TOPIC_ID, "No topic with id " + id));
                } else if (records.contains(new RemoveTopicRecord(id))) {
                    results.add(ApiError.NONE);
                } else {
                    records.add(new RemoveTopicRecord(id));
                    results.add(ApiError.NONE);
                }
            }
            return new CommandResult<>(records, results);
        });
    }

    /** Grows a topic to {@code totalCount} partitions. */
    public CompletableFuture<ApiError> createPartitions(String topic, int totalCount,
                                                       List<List<Integer>> assignments, boolean validateOnly) {
        return write(img -> topicCommands.createPartitions(img, topic, totalCount, assignments, validateOnly));
    }

    /** Sets or removes configs; validated already by the caller except topic existence. */
    public CompletableFuture<ApiError> alterConfigs(List<ConfigChange> changes, boolean validateOnly) {
        return write(img -> {
            List<MetadataRecord> records = new ArrayList<>();
            for (ConfigChange c : changes) {
                if (c.resourceType() == ConfigRecord.TOPIC && img.topic(c.resourceName()).isEmpty()) {
                    return new CommandResult<>(List.of(), ApiError.of(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                            "Topic " + c.resourceName() + " does not exist"));
                }
                records.add(new ConfigRecord(c.resourceType(), c.resourceName(), c.name(), c.value()));
            }
            return new CommandResult<>(validateOnly ? List.of() : records, ApiError.NONE);
        });
    }

    /** Hands {@code brokerId} a block of {@code size} producer ids; completes with its first id. */
    public CompletableFuture<Long> allocateProducerIds(int brokerId, int size) {
        return write(img -> {
            long first = img.nextProducerId();
            return new CommandResult<>(List.of(new ProducerIdsRecord(brokerId, first + size)), first);
        });
    }

    private <T> CompletableFuture<T> write(Function<MetadataImage, CommandResult<T>> command) {
        return submit(() -> {
            CommandResult<T> result = command.apply(image);
            if (!result.records().isEmpty()) {
                journal.append(result.records());
                MetadataImage previous = image;
                image = previous.apply(result.records());
                for (MetadataListener listener : listeners) {
                    try {
                        listener.onImage(previous, image);
                    } catch (RuntimeException e) {
                        log.error("A metadata listener failed to apply a change; this node's view may be stale", e);
                    }
                }
            }
            return result.response();
        });
    }

    private <T> CompletableFuture<T> submit(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    future.complete(task.call());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            future.completeExceptionally(new org.apache.kafka.common.errors.NotControllerException(
                    "The controller is shutting down"));
        }
        return future;
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
    }

    /** Records to write plus the answer to give once they are durable. */
    record CommandResult<T>(List<MetadataRecord> records, T response) {
    }
}
