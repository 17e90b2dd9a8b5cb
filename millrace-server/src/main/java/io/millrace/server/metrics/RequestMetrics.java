package io.millrace.server.metrics;

import io.millrace.metrics.RequestMeters;
import io.millrace.server.network.RequestObserver;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Request metrics from the dispatcher's observations: counts and latencies per API, and the
 * errors a response carries (its top-level error code, and for Produce and Fetch each
 * partition's, which is where those APIs put theirs), as Kafka's ErrorsPerSec.
 *
 * <p>Thread-safe; called on connection threads. Reads the response already built; allocates
 * nothing for a response without errors.
 */
final class RequestMetrics implements RequestObserver {
    private static final short NONE = Errors.NONE.code();
    private static final MethodType ERROR_CODE = MethodType.methodType(short.class, ApiMessage.class);
    /** Each response class's {@code errorCode()} accessor, or null when it has none at the top level. */
    private static final ClassValue<MethodHandle> TOP_LEVEL_ERROR = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "errorCode", MethodType.methodType(short.class))
                        .asType(ERROR_CODE);
            } catch (NoSuchMethodException | IllegalAccessException e) {
                return null;
            }
        }
    };

    private final RequestMeters meters;

    RequestMetrics(RequestMeters meters) {
        this.meters = meters;
    }

    @Override
    public void served(ApiKeys apiKey, long queueNanos, long totalNanos, ApiMessage response, Throwable failure) {
        meters.served(apiKey.id, queueNanos, totalNanos);
        if (failure != null) {
            meters.error(apiKey.id, Errors.forException(failure).code());
        } else if (response != null) {
            countErrors(apiKey, response);
        }
    }

    private void countErrors(ApiKeys apiKey, ApiMessage response) {
        if (response instanceof ProduceResponseData produce) {
            for (ProduceResponseData.TopicProduceResponse topic : produce.responses()) {
                List<ProduceResponseData.PartitionProduceResponse> partitions = topic.partitionResponses();
                for (int p = 0; p < partitions.size(); p++) {
                    count(apiKey, partitions.get(p).errorCode());
                }
            }
            return;
        }
        if (response instanceof FetchResponseData fetch) {
            count(apiKey, fetch.errorCode());
            List<FetchResponseData.FetchableTopicResponse> topics = fetch.responses();
            for (int t = 0; t < topics.size(); t++) {
                List<FetchResponseData.PartitionData> partitions = topics.get(t).partitions();
                for (int p = 0; p < partitions.size(); p++) {
                    count(apiKey, partitions.get(p).errorCode());
                }
            }
            return;
        }
        MethodHandle accessor = TOP_LEVEL_ERROR.get(response.getClass());
        if (accessor != null) {
            try {
                count(apiKey, (short) accessor.invokeExact(response));
            } catch (Throwable e) {
                // an accessor of a generated class does not throw
            }
        }
    }

    private void count(ApiKeys apiKey, short errorCode) {
        if (errorCode != NONE) {
            meters.error(apiKey.id, errorCode);
        }
    }
}
