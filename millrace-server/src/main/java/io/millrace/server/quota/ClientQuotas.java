package io.millrace.server.quota;

import io.millrace.common.Time;
import io.millrace.metadata.image.ClientQuotasImage;
import io.millrace.metadata.image.ClientQuotasImage.ResolvedQuota;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.QuotaKey;
import io.millrace.server.api.ClientThrottle;
import io.millrace.server.api.RequestContext;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Client quotas as Kafka measures and enforces them (KIP-13, KIP-124, KIP-219, KIP-599), with the
 * quotas of the current metadata image: per (user, client id) as resolved by
 * {@link ClientQuotasImage#resolve}, a produce request's size counts against
 * {@code producer_byte_rate}, a fetch response's size against {@code consumer_byte_rate}, the
 * time a request held its connection's thread against {@code request_percentage} (percent of one
 * thread), all as rates over {@link QuotaWindows}; over a quota, the throttle time is what brings
 * the rate back to it, {@code (rate - quota) / quota * window} (the request-time throttle at most
 * one window). Partitions created or deleted count against {@code controller_mutation_rate}
 * through {@link #controllerMutations}. Brokers' own requests (replica fetches, transaction markers
 * and checks) are never counted.
 *
 * <p>Nothing is measured while no quota is set; a rate exists only for clients a quota applies to
 * and is dropped after an hour without use. Thread-safe: rates are kept in a concurrent map, each
 * changed under its own lock, per request (never per record).
 */
public final class ClientQuotas implements ClientThrottle {
    static final double NANOS_TO_PERCENT = 100.0 / 1_000_000_000L;
    static final long IDLE_EXPIRY_MS = 3_600_000;
    private static final long PURGE_INTERVAL_MS = 60_000;

    private final Supplier<MetadataImage> image;
    private final QuotaWindows windows;
    private final QuotaWindows controllerWindows;
    private final Time time;
    private final ConcurrentHashMap<RateKey, Measured> rates = new ConcurrentHashMap<>();
    private final AtomicLong nextPurgeMs = new AtomicLong();

    public ClientQuotas(Supplier<MetadataImage> image, QuotaWindows windows, QuotaWindows controllerWindows, Time time) {
        this.image = image;
        this.windows = windows;
        this.controllerWindows = controllerWindows;
        this.time = time;
    }

    ClientQuotas(Supplier<MetadataImage> image, QuotaWindows windows, Time time) {
        this(image, windows, windows, time);
    }

    @Override
    public int throttleMs(RequestContext context, ApiMessage request, long requestBytes, long responseBytes,
                          long threadNanos) {
        ClientQuotasImage quotas = image.get().clientQuotas();
        if (quotas.entities().isEmpty() || isBrokerTraffic(context, request)) {
            return 0;
        }
        String user = userName(context.principal());
        String clientId = context.clientId() == null ? "" : context.clientId();
        long now = time.milliseconds();
        purgeIdle(now);
        long bandwidth = 0;
        boolean acksZero = false;
        if (request instanceof ProduceRequestData produce) {
            bandwidth = record(quotas, QuotaKey.PRODUCER_BYTE_RATE, user, clientId, requestBytes, now, Long.MAX_VALUE);
            acksZero = produce.acks() == 0;
        } else if (request instanceof FetchRequestData) {
            bandwidth = record(quotas, QuotaKey.CONSUMER_BYTE_RATE, user, clientId, responseBytes, now, Long.MAX_VALUE);
        }
        // As Kafka: a producer that reads no response is not held to the request quota.
        long requestTime = acksZero ? 0 : record(quotas, QuotaKey.REQUEST_PERCENTAGE, user, clientId,
                threadNanos * NANOS_TO_PERCENT, now, windows.windowMs());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(bandwidth, requestTime));
    }

    /**
     * The most bytes one fetch may return to this consumer, as Kafka caps a fetch: what its
     * {@code consumer_byte_rate} allows over {@code samples - 1} windows, so one response never
     * earns a throttle longer than the quota's span. {@link Integer#MAX_VALUE} without a quota.
     */
    public int fetchBytesWithinWindow(RequestContext context) {
        ClientQuotasImage quotas = image.get().clientQuotas();
        if (quotas.entities().isEmpty()) {
            return Integer.MAX_VALUE;
        }
        Optional<ResolvedQuota> quota = quotas.resolve(QuotaKey.CONSUMER_BYTE_RATE, userName(context.principal()),
                context.clientId() == null ? "" : context.clientId());
        if (quota.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        double bytes = quota.get().limit() * (windows.samples() - 1) * (windows.windowMs() / 1000.0);
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /**
     * The controller mutation quota of one CreateTopics, CreatePartitions or DeleteTopics request:
     * strict (KIP-599: a topic is refused with THROTTLING_QUOTA_EXCEEDED once the quota is
     * exhausted) for the versions that know that error, permissive (accepted, then throttled) for
     * older ones.
     */
    public MutationQuota controllerMutations(RequestContext context, boolean strict) {
        ClientQuotasImage quotas = image.get().clientQuotas();
        String user = userName(context.principal());
        String clientId = context.clientId() == null ? "" : context.clientId();
        Optional<ResolvedQuota> quota = quotas.resolve(QuotaKey.CONTROLLER_MUTATION_RATE, user, clientId);
        if (quota.isEmpty()) {
            return MutationQuota.UNLIMITED;
        }
        Measured measured = rates.computeIfAbsent(key(QuotaKey.CONTROLLER_MUTATION_RATE, quota.get()),
                k -> new Measured(null, new TokenBucket(controllerWindows)));
        return new MutationQuota(measured.bucket, quota.get().limit(), strict, time);
    }

    /** The name of principal {@code User:NAME}, as Kafka's user quota entity names it. */
    static String userName(String principal) {
        int colon = principal.indexOf(':');
        return colon < 0 ? principal : principal.substring(colon + 1);
    }

    private long record(ClientQuotasImage quotas, QuotaKey quotaKey, String user, String clientId, double value,
                        long now, long maxThrottleMs) {
        Optional<ResolvedQuota> quota = quotas.resolve(quotaKey, user, clientId);
        if (quota.isEmpty()) {
            return 0;
        }
        Measured measured = rates.computeIfAbsent(key(quotaKey, quota.get()),
                k -> new Measured(new SampledRate(windows), null));
        return measured.recordAndThrottle(value, quota.get().limit(), now, maxThrottleMs);
    }

    private static RateKey key(QuotaKey quotaKey, ResolvedQuota quota) {
        return new RateKey(quotaKey, quota.userTag(), quota.clientIdTag());
    }

    private static boolean isBrokerTraffic(RequestContext context, ApiMessage request) {
        return request instanceof FetchRequestData fetch && (fetch.replicaId() >= 0 || fetch.replicaState().replicaId() >= 0)
                || request instanceof WriteTxnMarkersRequestData
                // AddPartitionsToTxn v4+ is sent by partition leaders only (KIP-890); clients send v3 and below
                || request instanceof AddPartitionsToTxnRequestData && context.apiVersion() >= 4;
    }

    private void purgeIdle(long now) {
        long due = nextPurgeMs.get();
        if (now < due || !nextPurgeMs.compareAndSet(due, now + PURGE_INTERVAL_MS)) {
            return;
        }
        rates.values().removeIf(m -> m.idleSince(now) > IDLE_EXPIRY_MS);
    }

    /** How many rates are kept (for tests). */
    int measuredClients() {
        return rates.size();
    }

    private record RateKey(QuotaKey quotaKey, String userTag, String clientIdTag) {
    }

    /** One client's rate (or, for controller mutations, token bucket), changed under its own lock. */
    private static final class Measured {
        private final SampledRate rate;
        private final TokenBucket bucket;

        Measured(SampledRate rate, TokenBucket bucket) {
            this.rate = rate;
            this.bucket = bucket;
        }

        synchronized long recordAndThrottle(double value, double limit, long now, long maxThrottleMs) {
            rate.record(value, now);
            double observed = rate.rate(now);
            if (observed <= limit) {
                return 0;
            }
            // X such that observed * W / (W + X) = limit: the delay that brings the rate back to the quota
            long throttle = Math.round((observed - limit) / limit * rate.windowMs(now));
            return Math.min(throttle, maxThrottleMs);
        }

        long idleSince(long now) {
            if (bucket != null) {
                synchronized (bucket) {
                    return now - bucket.lastUpdateMs();
                }
            }
            synchronized (this) {
                return now - rate.lastEventMs();
            }
        }
    }
}
