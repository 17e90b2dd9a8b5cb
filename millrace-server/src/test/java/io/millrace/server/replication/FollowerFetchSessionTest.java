package io.millrace.server.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class FollowerFetchSessionTest {
    private static final Uuid ORDERS_ID = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final ReplicaFetcherConfig CONFIG = new ReplicaFetcherConfig(1000, 5000, 250, 7, 100, 30_000);
    private static final short VERSION = 17;
    private static final FetchPosition P0 = new FetchPosition(new TopicPartition("orders", 0), ORDERS_ID, 5, 120, 4, 0);
    private static final FetchPosition P1 = new FetchPosition(new TopicPartition("orders", 1), ORDERS_ID, 5, 7, 3, 0);
    private static final FetchPosition P2 = new FetchPosition(new TopicPartition("orders", 2), ORDERS_ID, 5, 0, -1, 0);

    private static List<Integer> named(FetchRequestData request) {
        return request.topics().stream().flatMap(t -> t.partitions().stream()).map(FetchPartition::partition).toList();
    }

    private static FetchRequestData build(FollowerFetchSession session, FetchPosition... positions) {
        return session.build(3, 42L, CONFIG, VERSION, List.of(positions));
    }

    @Test
    void fullThenIncrementalWithOnlyWhatChanged() {
        FollowerFetchSession session = new FollowerFetchSession();
        FetchRequestData full = build(session, P0, P1);
        assertEquals(0, full.sessionId());
        assertEquals(0, full.sessionEpoch());
        assertEquals(List.of(0, 1), named(full));
        assertTrue(session.onResponse(new FetchResponseData().setSessionId(77)));

        FetchRequestData idle = build(session, P0, P1);
        assertEquals(77, idle.sessionId());
        assertEquals(1, idle.sessionEpoch());
        assertEquals(List.of(), named(idle));
        assertTrue(idle.forgottenTopicsData().isEmpty());
        assertTrue(session.onResponse(new FetchResponseData().setSessionId(77)));

        FetchPosition p1Moved = new FetchPosition(P1.topicPartition(), ORDERS_ID, 5, 9, 3, 0);
        FetchRequestData changed = build(session, p1Moved, P2);
        assertEquals(2, changed.sessionEpoch());
        assertEquals(List.of(1, 2), named(changed));
        assertEquals(ORDERS_ID, changed.forgottenTopicsData().get(0).topicId());
        assertEquals(List.of(0), changed.forgottenTopicsData().get(0).partitions());
    }

    @Test
    void aSessionErrorMakesTheNextRequestFull() {
        FollowerFetchSession session = new FollowerFetchSession();
        build(session, P0);
        session.onResponse(new FetchResponseData().setSessionId(77));
        build(session, P0);
        assertFalse(session.onResponse(new FetchResponseData().setErrorCode(Errors.INVALID_FETCH_SESSION_EPOCH.code())));
        FetchRequestData closing = build(session, P0);
        assertEquals(77, closing.sessionId(), "names the old session so the leader closes it");
        assertEquals(0, closing.sessionEpoch());
        assertEquals(List.of(0), named(closing));
        assertFalse(session.onResponse(new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())));
        FetchRequestData fresh = build(session, P0);
        assertEquals(0, fresh.sessionId());
        assertEquals(0, fresh.sessionEpoch());
    }

    @Test
    void aLeaderWithoutSessionsGetsFullRequestsAndOtherErrorsStillReachTheFetcher() {
        FollowerFetchSession session = new FollowerFetchSession();
        build(session, P0);
        assertTrue(session.onResponse(new FetchResponseData().setSessionId(0)));
        FetchRequestData again = build(session, P0);
        assertEquals(0, again.sessionEpoch());
        assertEquals(List.of(0), named(again));
        assertTrue(session.onResponse(new FetchResponseData().setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code())));
    }

    @Test
    void aNewLeaderEpochRestartsTheSessionWithAFullRequest() {
        FollowerFetchSession session = new FollowerFetchSession();
        build(session, P0, P1);
        session.onResponse(new FetchResponseData().setSessionId(77));
        FetchPosition p0NextEpoch = new FetchPosition(P0.topicPartition(), ORDERS_ID, 6, 120, 4, 0);
        FetchRequestData full = build(session, p0NextEpoch, P1);
        assertEquals(77, full.sessionId());
        assertEquals(0, full.sessionEpoch());
        assertEquals(List.of(0, 1), named(full));
    }

    @Test
    void aNewVersionRestartsTheSessionWithAFullRequest() {
        FollowerFetchSession session = new FollowerFetchSession();
        build(session, P0);
        session.onResponse(new FetchResponseData().setSessionId(77));
        FetchRequestData atV12 = session.build(3, 42L, CONFIG, (short) 12, List.of(P0));
        assertEquals(0, atV12.sessionEpoch());
        assertEquals(List.of(0), named(atV12));
    }
}
