package io.millrace.metadata.controller;

import io.millrace.metadata.image.BrokerImage;
import io.millrace.metadata.image.MetadataImage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each broker last heartbeated, and the metadata offset each must replay before it is
 * unfenced, in memory. Not thread-safe: owned by the controller thread. Not replicated: a
 * controller that becomes active treats every registered broker as having heartbeated at that
 * moment ({@link #resetAll}), so no broker is fenced for the time no controller was listening, and
 * asks a broker that registered before it became active only to have caught up with the image it
 * started from.
 */
final class BrokerLiveness {
    /** A broker whose session expired, silent for {@code silentMs}. */
    record Expired(int brokerId, long silentMs) {
    }

    private final Map<Integer, Long> lastHeartbeatMs = new HashMap<>();
    private final Map<Integer, Long> catchUpOffset = new HashMap<>();
    private long activeSinceOffset;

    void heartbeat(int brokerId, long nowMs) {
        lastHeartbeatMs.put(brokerId, nowMs);
    }

    /** {@code brokerId} registered; its registration is committed at record count {@code recordCount}. */
    void registered(int brokerId, long recordCount) {
        catchUpOffset.put(brokerId, recordCount);
    }

    /**
     * The record count a broker's metadata must reach (its heartbeat's metadataOffset) before it is
     * unfenced: the end of its registration, or of the image this controller took over with.
     */
    long catchUpOffset(int brokerId) {
        return catchUpOffset.getOrDefault(brokerId, activeSinceOffset);
    }

    /** This controller did not run for a while (its process stalled): every broker's session starts now. */
    void restartSessions(Collection<Integer> brokerIds, long nowMs) {
        for (int id : brokerIds) {
            lastHeartbeatMs.put(id, nowMs);
        }
    }

    /** This controller became active at image record count {@code recordCount}: every broker's session starts now. */
    void resetAll(Collection<Integer> brokerIds, long nowMs, long recordCount) {
        lastHeartbeatMs.clear();
        catchUpOffset.clear();
        activeSinceOffset = recordCount;
        for (int id : brokerIds) {
            lastHeartbeatMs.put(id, nowMs);
        }
    }

    /**
     * Unfenced brokers of {@code image} with no heartbeat for longer than {@code timeoutMs},
     * ascending by id. A broker never seen before starts its session now.
     */
    List<Expired> expired(MetadataImage image, long nowMs, long timeoutMs) {
        List<Expired> result = new ArrayList<>();
        image.brokers().values().stream().map(BrokerImage::brokerId).sorted().forEach(id -> {
            BrokerImage broker = image.brokers().get(id);
            long last = lastHeartbeatMs.computeIfAbsent(id, k -> nowMs);
            if (!broker.fenced() && nowMs - last > timeoutMs) {
                result.add(new Expired(id, nowMs - last));
            }
        });
        return result;
    }
}
