package io.millrace.server.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.server.api.RequestContext;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class ClientQuotasTest {
    private static final QuotaWindows ELEVEN_SECONDS = new QuotaWindows(11, 1000);
    private final ManualTime time = new ManualTime(1_000_000);
    private final AtomicReference<MetadataImage> image = new AtomicReference<>(MetadataImage.EMPTY);
    private final ClientQuotas quotas = new ClientQuotas(image::get, ELEVEN_SECONDS, time);

    private void set(QuotaEntity entity, String key, double value) {
        image.set(image.get().apply(List.of(ClientQuotaRecord.set(entity, key, value))));
    }

    private static RequestContext context(ApiKeys api, short version, String clientId, String principal) {
        return new RequestContext(new RequestHeader(api, version, clientId, 1), InetAddress.getLoopbackAddress(),
                "PLAINTEXT", 1, principal);
    }

    private int produce(String clientId, long bytes) {
        return quotas.throttleMs(context(ApiKeys.PRODUCE, (short) 9, clientId, RequestContext.ANONYMOUS),
                new ProduceRequestData().setAcks((short) -1), bytes, 50, 0);
    }

    @Test
    void nothingIsMeasuredWithoutQuotas() {
        assertEquals(0, produce("app", 100_000_000));
        assertEquals(Integer.MAX_VALUE, quotas.fetchBytesWithinWindow(
                context(ApiKeys.FETCH, (short) 12, "app", RequestContext.ANONYMOUS)));
        assertEquals(0, quotas.measuredClients());
    }

    @Test
    void throttleTimeBringsTheRateBackToTheQuota() {
        set(QuotaEntity.clientId("app"), "producer_byte_rate", 1000);
        assertEquals(0, produce("app", 10_000), "10 kB over the 10 s minimum span is exactly 1 kB/s");
        // 12 kB over 10 s is 1.2 kB/s: (1.2 - 1) / 1 * 10 s
        assertEquals(2000, produce("app", 2000));
        assertEquals(0, produce("other", 1_000_000), "another client id has no quota");
    }

    @Test
    void aClientThatWaitsItsThrottleTimeGetsItsQuota() {
        assertEquals(50_000, steadyRate(quotas, 50_000, 15_000, 75_000), 50_000 * 0.05);
    }

    @Test
    void withTwoOneSecondWindowsTheQuotaHoldsOverFourCycles() {
        // ClientQuotasIT's broker and producer. As in Kafka, a client sending flat out gets its quota
        // in bursts that repeat every samples x window (here 2 s): measured over a few of them the
        // rate is the quota, over less than one it can be off by up to a window's worth of bytes.
        ClientQuotas twoWindows = new ClientQuotas(image::get, new QuotaWindows(2, 1000), time);
        assertEquals(204_800, steadyRate(twoWindows, 204_800, 2_000, 10_000), 204_800 * 0.05);
    }

    /** Bytes per second a producer of 16 KiB requests that waits out each throttle gets between {@code from} and {@code to}. */
    private double steadyRate(ClientQuotas measured, double quota, long from, long to) {
        set(QuotaEntity.user(null), "producer_byte_rate", quota);
        RequestContext any = context(ApiKeys.PRODUCE, (short) 9, "any", RequestContext.ANONYMOUS);
        long start = time.milliseconds();
        long bytes = 0;
        while (time.milliseconds() < start + to) {
            int throttle = measured.throttleMs(any, new ProduceRequestData().setAcks((short) 1), 16_384, 50, 0);
            if (time.milliseconds() >= start + from) {
                bytes += 16_384;
            }
            time.advance(Math.max(throttle, 5));
        }
        return bytes * 1000.0 / (to - from);
    }

    @Test
    void fetchCountsResponseBytesAndReplicaFetchesAreExempt() {
        set(QuotaEntity.clientId(null), "consumer_byte_rate", 100);
        RequestContext consumer = context(ApiKeys.FETCH, (short) 12, "c", RequestContext.ANONYMOUS);
        assertEquals(1000, quotas.fetchBytesWithinWindow(consumer), "100 B/s over (11 - 1) windows of 1 s");
        assertEquals(0, quotas.throttleMs(consumer, new FetchRequestData(), 60, 1000, 0));
        assertEquals(10_000, quotas.throttleMs(consumer, new FetchRequestData(), 60, 1000, 0));
        RequestContext follower = context(ApiKeys.FETCH, (short) 12, "broker-2-fetcher", RequestContext.ANONYMOUS);
        assertEquals(0, quotas.throttleMs(follower, new FetchRequestData().setReplicaId(2), 60, 1_000_000, 0));
    }

    @Test
    void requestTimeIsPercentOfOneThreadAndItsThrottleAtMostOneWindow() {
        set(QuotaEntity.user("alice"), "request_percentage", 10);
        RequestContext alice = context(ApiKeys.METADATA, (short) 12, "app", "User:alice");
        // 1 s of thread time = 100 (percent-seconds); over 10 s = 10 %: at the quota
        assertEquals(0, quotas.throttleMs(alice, new MetadataRequestData(), 40, 40, 1_000_000_000L));
        assertEquals(1000, quotas.throttleMs(alice, new MetadataRequestData(), 40, 40, 5_000_000_000L));
        RequestContext bob = context(ApiKeys.METADATA, (short) 12, "app", "User:bob");
        assertEquals(0, quotas.throttleMs(bob, new MetadataRequestData(), 40, 40, 50_000_000_000L));
    }

    @Test
    void anAcksZeroProduceIsHeldToItsByteRateOnly() {
        set(QuotaEntity.clientId("app"), "request_percentage", 1);
        RequestContext app = context(ApiKeys.PRODUCE, (short) 9, "app", RequestContext.ANONYMOUS);
        assertEquals(0, quotas.throttleMs(app, new ProduceRequestData().setAcks((short) 0), 100, 0, 9_000_000_000L));
    }

    @Test
    void aRemovedQuotaStopsThrottling() {
        set(QuotaEntity.clientId("app"), "producer_byte_rate", 1000);
        assertTrue(produce("app", 50_000) > 0);
        image.set(image.get().apply(List.of(ClientQuotaRecord.removal(QuotaEntity.clientId("app"), "producer_byte_rate"))));
        assertEquals(0, produce("app", 50_000));
    }

    @Test
    void idleRatesAreDropped() {
        set(QuotaEntity.clientId(null), "producer_byte_rate", 1000);
        produce("a", 10);
        produce("b", 10);
        assertEquals(2, quotas.measuredClients());
        time.advance(ClientQuotas.IDLE_EXPIRY_MS + 1);
        produce("c", 10);
        assertEquals(1, quotas.measuredClients());
    }

    @Test
    void strictMutationQuotaRefusesOnceTheBucketIsEmpty() {
        set(QuotaEntity.clientId("admin"), "controller_mutation_rate", 2);
        RequestContext admin = context(ApiKeys.CREATE_TOPICS, (short) 7, "admin", RequestContext.ANONYMOUS);
        MutationQuota first = quotas.controllerMutations(admin, true);
        assertFalse(first.exhausted(), "the bucket starts full: 2/s * 11 s = 22");
        first.record(30);
        assertEquals(0, first.throttleMs(), "an admitted topic may overdraw the bucket without a throttle");
        MutationQuota second = quotas.controllerMutations(admin, true);
        assertTrue(second.exhausted());
        assertEquals(4000, second.throttleMs(), "8 tokens short at 2/s");
        time.advance(1000);
        assertEquals(3000, second.throttleMs(), "the throttle time counts down");
        time.advance(3000);
        assertFalse(quotas.controllerMutations(admin, true).exhausted());
    }

    @Test
    void permissiveMutationQuotaAdmitsAndThrottles() {
        set(QuotaEntity.clientId("admin"), "controller_mutation_rate", 2);
        RequestContext admin = context(ApiKeys.CREATE_TOPICS, (short) 5, "admin", RequestContext.ANONYMOUS);
        MutationQuota quota = quotas.controllerMutations(admin, false);
        assertFalse(quota.exhausted());
        quota.record(20);
        assertEquals(0, quota.throttleMs());
        quota.record(6);
        assertFalse(quota.exhausted(), "permissive never refuses");
        assertEquals(2000, quota.throttleMs(), "4 tokens short at 2/s");
        assertEquals(MutationQuota.UNLIMITED, quotas.controllerMutations(
                context(ApiKeys.CREATE_TOPICS, (short) 7, "other", RequestContext.ANONYMOUS), true));
    }
}
