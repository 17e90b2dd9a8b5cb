package io.millrace.server.fetchsession;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * How one Fetch request relates to a fetch session: the partitions to read ({@link #request()})
 * and how to turn the full answer for them into the response ({@link #respond}).
 *
 * <p>Each context serves one request; thread-safe as far as the session it touches is
 * (the session's monitor guards it).
 */
public sealed interface FetchContext {
    /** NONE, or the session error to answer with at once (the request is not read). */
    Errors error();

    /** The request to read: the request itself, or for an incremental fetch every session partition. */
    FetchRequestData request();

    /** The response to send, given the answer for every partition of {@link #request()}. */
    FetchResponseData respond(FetchResponseData full);

    /** Epoch -1 (or a request version before sessions): read and answer the request as it is, session id 0. */
    record Sessionless(FetchRequestData request) implements FetchContext {
        @Override
        public Errors error() {
            return Errors.NONE;
        }

        @Override
        public FetchResponseData respond(FetchResponseData full) {
            return full.setSessionId(FetchSessionCache.INVALID_SESSION_ID);
        }
    }

    /** Epoch 0: read the request as it is; answering opens a session when the cache has room. */
    record Full(FetchSessionCache cache, FetchRequestData request, boolean usesTopicIds, boolean fromFollower)
            implements FetchContext {
        @Override
        public Errors error() {
            return Errors.NONE;
        }

        @Override
        public FetchResponseData respond(FetchResponseData full) {
            int size = 0;
            for (FetchRequestData.FetchTopic topic : request.topics()) {
                size += topic.partitions().size();
            }
            int id = cache.maybeCreateSession(fromFollower, size, usesTopicIds,
                    () -> FetchSession.fromFullFetch(request, full, usesTopicIds));
            return full.setSessionId(id);
        }
    }

    /**
     * An incremental fetch of {@code session}: reads all its partitions and answers only those
     * that changed; {@code epoch} is the session's epoch after this request.
     */
    final class Incremental implements FetchContext {
        private final FetchSession session;
        private final int epoch;
        private final FetchRequestData request;

        Incremental(FetchSession session, int epoch, FetchRequestData received) {
            this.session = session;
            this.epoch = epoch;
            this.request = new FetchRequestData()
                    .setClusterId(received.clusterId())
                    .setReplicaId(received.replicaId())
                    .setReplicaState(received.replicaState())
                    .setMaxWaitMs(received.maxWaitMs())
                    .setMinBytes(received.minBytes())
                    .setMaxBytes(received.maxBytes())
                    .setIsolationLevel(received.isolationLevel())
                    .setSessionId(received.sessionId())
                    .setSessionEpoch(received.sessionEpoch())
                    .setRackId(received.rackId())
                    .setTopics(session.fetchTopics());
        }

        @Override
        public Errors error() {
            return Errors.NONE;
        }

        @Override
        public FetchRequestData request() {
            return request;
        }

        @Override
        public FetchResponseData respond(FetchResponseData full) {
            synchronized (session) {
                if (session.epoch() != epoch) {
                    // Another request of this session was served meanwhile (Kafka answers the same).
                    return new FetchResponseData().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code())
                            .setSessionId(session.id);
                }
                session.keepChanged(full);
                return full.setSessionId(session.id);
            }
        }
    }

    /** A session error: answered at once with no partitions and session id 0. */
    record SessionError(Errors error) implements FetchContext {
        @Override
        public FetchRequestData request() {
            return new FetchRequestData();
        }

        @Override
        public FetchResponseData respond(FetchResponseData full) {
            return new FetchResponseData().setErrorCode(error.code()).setSessionId(FetchSessionCache.INVALID_SESSION_ID);
        }
    }
}
