package io.millrace.server.fetchsession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.Time;
import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class FetchSessionCacheTest {
    private static final short V17 = 17;
    private static final short V12 = 12;
    private static final Uuid ORDERS = Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ");
    private static final long EVICTION_MS = 1000;

    private final ManualClock clock = new ManualClock();

    /** A full (epoch 0) or incremental request of {@code partitions} of "orders", all from offset 0. */
    private static FetchRequestData request(int sessionId, int epoch, int... partitions) {
        FetchTopic topic = new FetchTopic().setTopic("orders").setTopicId(ORDERS);
        for (int p : partitions) {
            topic.partitions().add(new FetchPartition().setPartition(p).setFetchOffset(0).setPartitionMaxBytes(1024));
        }
        return new FetchRequestData().setSessionId(sessionId).setSessionEpoch(epoch)
                .setTopics(partitions.length == 0 ? new ArrayList<>() : new ArrayList<>(List.of(topic)));
    }

    /** The full answer for the context's request: every partition with the high watermark {@code hw} gives it. */
    private static FetchResponseData answer(FetchContext context, ToLongFunction<Integer> hw, int... withRecords) {
        FetchResponseData response = new FetchResponseData();
        for (FetchTopic topic : context.request().topics()) {
            FetchableTopicResponse t = new FetchableTopicResponse().setTopic(topic.topic()).setTopicId(topic.topicId());
            for (FetchPartition p : topic.partitions()) {
                PartitionData data = new PartitionData().setPartitionIndex(p.partition())
                        .setHighWatermark(hw.applyAsLong(p.partition())).setLogStartOffset(0)
                        .setLastStableOffset(hw.applyAsLong(p.partition())).setRecords(KafkaRecords.empty());
                for (int r : withRecords) {
                    if (r == p.partition()) {
                        data.setRecords(KafkaRecords.wrap(ByteBuffer.allocate(100)));
                    }
                }
                t.partitions().add(data);
            }
            response.responses().add(t);
        }
        return response;
    }

    private static List<Integer> partitionsOf(FetchResponseData response) {
        List<Integer> out = new ArrayList<>();
        response.responses().forEach(t -> t.partitions().forEach(p -> out.add(p.partitionIndex())));
        return out;
    }

    private int openSession(FetchSessionCache cache, boolean follower, int... partitions) {
        FetchContext full = cache.newContext(request(0, 0, partitions), V17, follower);
        return full.respond(answer(full, p -> 10)).sessionId();
    }

    @Test
    void aFullFetchOpensASessionAndAnIdleIncrementalFetchAnswersNoPartition() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        FetchContext full = cache.newContext(request(0, 0, 0, 1, 2), V17, false);
        assertInstanceOf(FetchContext.Full.class, full);
        FetchResponseData first = full.respond(answer(full, p -> 10));
        assertNotEquals(0, first.sessionId());
        assertEquals(List.of(0, 1, 2), partitionsOf(first));
        assertEquals(1, cache.size());
        assertEquals(3, cache.partitionCount());

        FetchContext incremental = cache.newContext(request(first.sessionId(), 1), V17, false);
        assertEquals(Errors.NONE, incremental.error());
        assertEquals(3, incremental.request().topics().get(0).partitions().size(), "reads every session partition");
        FetchResponseData idle = incremental.respond(answer(incremental, p -> 10));
        assertEquals(first.sessionId(), idle.sessionId());
        assertEquals(List.of(), partitionsOf(idle));
        assertTrue(idle.responses().isEmpty(), "a topic with no partition left is left out");
    }

    @Test
    void anIncrementalFetchAnswersPartitionsWithRecordsOrChangedOffsetsOrErrors() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        int id = openSession(cache, false, 0, 1, 2, 3);
        FetchContext second = cache.newContext(request(id, 1), V17, false);
        FetchResponseData changed = second.respond(answer(second, p -> p == 1 ? 11 : 10, 2));
        assertEquals(List.of(1, 2), partitionsOf(changed), "1: new high watermark, 2: records");
        assertEquals(List.of(0, 1, 3, 2), cache.session(id).keys().stream().map(SessionPartitionKey::partition).toList(),
                "a partition that returned records moves to the end");

        FetchContext third = cache.newContext(request(id, 2), V17, false);
        FetchResponseData withError = answer(third, p -> p == 1 ? 11 : 10);
        withError.responses().get(0).partitions().get(0).setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertEquals(List.of(0), partitionsOf(third.respond(withError)));

        FetchContext fourth = cache.newContext(request(id, 3), V17, false);
        assertEquals(List.of(0), partitionsOf(fourth.respond(answer(fourth, p -> p == 1 ? 11 : 10))),
                "once its error clears a partition is sent again");
    }

    @Test
    void anIncrementalFetchUpdatesAddsAndForgetsPartitions() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        int id = openSession(cache, false, 0, 1);
        FetchRequestData req = request(id, 1, 1, 5);
        req.topics().get(0).partitions().get(0).setFetchOffset(42);
        req.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(ORDERS).setPartitions(List.of(0)));
        FetchContext context = cache.newContext(req, V17, false);
        List<FetchPartition> read = context.request().topics().get(0).partitions();
        assertEquals(List.of(1, 5), read.stream().map(FetchPartition::partition).toList());
        assertEquals(42, read.get(0).fetchOffset());
        assertEquals(List.of(5), partitionsOf(context.respond(answer(context, p -> 10))), "a new partition is always sent");
        assertEquals(2, cache.partitionCount());

        FetchRequestData forgetAll = request(id, 2);
        forgetAll.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopicId(ORDERS).setPartitions(List.of(1, 5)));
        FetchContext emptied = cache.newContext(forgetAll, V17, false);
        assertInstanceOf(FetchContext.Sessionless.class, emptied);
        assertEquals(0, emptied.respond(answer(emptied, p -> 10)).sessionId());
        assertEquals(0, cache.size(), "a session left with no partition is closed");
    }

    @Test
    void sessionErrors() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        int id = openSession(cache, false, 0, 1);
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND, cache.newContext(request(id + 1, 1), V17, false).error());
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND, cache.newContext(request(0, 3), V17, false).error());
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH, cache.newContext(request(id, 2), V17, false).error());
        assertEquals(Errors.FETCH_SESSION_TOPIC_ID_ERROR, cache.newContext(request(id, 1), V12, false).error());
        FetchResponseData error = cache.newContext(request(id, 2), V17, false).respond(null);
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), error.errorCode());
        assertEquals(0, error.sessionId());
        assertEquals(Errors.NONE, cache.newContext(request(id, 1), V17, false).error(), "errors leave the session as it was");
    }

    @Test
    void twoRequestsOfOneEpochRaceAndTheSecondToAnswerGetsInvalidEpoch() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        int id = openSession(cache, false, 0);
        FetchContext first = cache.newContext(request(id, 1), V17, false);
        FetchContext second = cache.newContext(request(id, 2), V17, false);
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), first.respond(answer(first, p -> 10)).errorCode());
        assertEquals(Errors.NONE.code(), second.respond(answer(second, p -> 10)).errorCode());
    }

    @Test
    void finalEpochIsSessionlessAndClosesTheNamedSession() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        int id = openSession(cache, false, 0);
        FetchContext context = cache.newContext(request(id, -1, 0, 1), V17, false);
        assertInstanceOf(FetchContext.Sessionless.class, context);
        FetchResponseData response = context.respond(answer(context, p -> 10));
        assertEquals(0, response.sessionId());
        assertEquals(List.of(0, 1), partitionsOf(response));
        assertEquals(0, cache.size());

        int old = openSession(cache, false, 0);
        FetchContext reopen = cache.newContext(request(old, 0, 0), V17, false);
        int replaced = reopen.respond(answer(reopen, p -> 10)).sessionId();
        assertNull(cache.session(old), "a full fetch closes the session it names and opens another");
        assertNotEquals(0, replaced);
        assertEquals(1, cache.size());
    }

    @Test
    void noSlotsMeansNoSessions() {
        FetchSessionCache cache = new FetchSessionCache(0, EVICTION_MS, clock);
        assertEquals(0, openSession(cache, false, 0, 1));
        assertEquals(0, openSession(cache, true, 0, 1));
        assertEquals(0, cache.size());
    }

    @Test
    void evictionAsKafka() {
        FetchSessionCache cache = new FetchSessionCache(2, EVICTION_MS, clock);
        int small = openSession(cache, false, 0);
        int big = openSession(cache, false, 0, 1, 2);
        assertEquals(0, openSession(cache, false, 0, 1, 2, 3, 4), "young sessions are safe from a consumer's session");
        int follower = openSession(cache, true, 0);
        assertNotEquals(0, follower, "a follower's session evicts a consumer's, even a young one");
        assertNull(cache.session(small), "the least valuable first: fewest partitions");
        assertEquals(1, cache.evictions());

        clock.now += EVICTION_MS + 1;
        cache.newContext(request(follower, 1), V17, true).error(); // both in use again, now old enough to evict
        cache.newContext(request(big, 1), V17, false).error();
        assertEquals(0, openSession(cache, false, 0, 1, 2), "same size: not more valuable");
        int bigger = openSession(cache, false, 0, 1, 2, 3);
        assertNotEquals(0, bigger, "more partitions evicts an old session with fewer");
        assertNull(cache.session(big));

        clock.now += EVICTION_MS + 1;
        cache.newContext(request(bigger, 1), V17, false).error();
        int stale = openSession(cache, false, 0);
        assertNotEquals(0, stale, "a session unused for longer than the eviction time goes first, whatever its value");
        assertNull(cache.session(follower));
    }

    @Test
    void epochsWrapToOne() {
        assertEquals(1, FetchSessionCache.nextEpoch(0));
        assertEquals(2, FetchSessionCache.nextEpoch(1));
        assertEquals(1, FetchSessionCache.nextEpoch(Integer.MAX_VALUE));
        assertEquals(-1, FetchSessionCache.nextEpoch(-1));
    }

    @Test
    void sessionsOfFetchV12KeyPartitionsByTopicName() {
        FetchSessionCache cache = new FetchSessionCache(10, EVICTION_MS, clock);
        FetchRequestData byName = request(0, 0, 0, 1);
        byName.topics().get(0).setTopicId(Uuid.ZERO_UUID);
        FetchContext full = cache.newContext(byName, V12, false);
        int id = full.respond(answer(full, p -> 10)).sessionId();
        FetchRequestData forget = request(id, 1);
        forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("orders").setPartitions(List.of(1)));
        FetchContext next = cache.newContext(forget, V12, false);
        assertEquals(List.of(0), next.request().topics().get(0).partitions().stream().map(FetchPartition::partition).toList());
        assertEquals(Errors.FETCH_SESSION_TOPIC_ID_ERROR, cache.newContext(request(id, 2), V17, false).error());
    }

    private static final class ManualClock implements Time {
        long now = 1_000_000;

        @Override
        public long milliseconds() {
            return now;
        }

        @Override
        public long nanoseconds() {
            return now * 1_000_000;
        }
    }
}
