package io.millrace.coordinator.classic;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group. Mutable; owned by the shard's thread.
 *
 * <p>The futures are the member's JoinGroup or SyncGroup request waiting for the rebalance to get
 * far enough: they are completed on the shard's thread and are never part of a record.
 */
final class ClassicMember {
    static final byte[] EMPTY = new byte[0];

    /** One protocol the member supports, in its order of preference. */
    record Protocol(String name, byte[] metadata) {
    }

    String memberId;
    final String groupInstanceId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = EMPTY;
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    CompletableFuture<SyncGroupResponseData> awaitingSync;
    boolean isNew;

    ClassicMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                  int sessionTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    /** This member's metadata for {@code protocol}, or empty bytes. */
    byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return EMPTY;
    }

    /** Whether {@code others} are exactly this member's protocols, names, order and metadata. */
    boolean sameProtocols(List<Protocol> others) {
        if (others.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < others.size(); i++) {
            Protocol a = protocols.get(i);
            Protocol b = others.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    /** The first of this member's protocols that is among {@code candidates}. */
    String vote(Set<String> candidates) {
        for (Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return p.name();
            }
        }
        throw new IllegalStateException("Member " + memberId + " supports none of " + candidates);
    }
}
