package io.millrace.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.common.config.Endpoint;
import io.millrace.server.api.ClientThrottle;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A throttle time from client quotas goes into the response, and the connection reads nothing for that long. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThrottledConnectionTest {
    private static final short METADATA_V12 = 12;

    @Test
    void throttleTimesAreReadAndWrittenOnAnyResponseThatHasThem() {
        ProduceResponseData produce = new ProduceResponseData();
        assertTrue(ThrottleTimes.set(produce, 250));
        assertEquals(250, produce.throttleTimeMs());
        assertEquals(250, ThrottleTimes.get(produce));
        assertFalse(ThrottleTimes.set(new SaslHandshakeResponseData(), 250), "SaslHandshake has no throttle time");
        assertEquals(0, ThrottleTimes.get(new SaslHandshakeResponseData()));
    }

    @Test
    void aThrottledResponseLeavesAtOnceAndTheNextRequestWaits() throws IOException {
        AtomicInteger boundPort = new AtomicInteger();
        HandlerRegistry registry = HandlerRegistry.of(List.of(new TestHandlers.Metadata(boundPort::get)));
        AtomicInteger throttled = new AtomicInteger();
        int throttleMs = 2000; // long enough that the first response surely leaves before it ends, even on a loaded machine
        ClientThrottle firstOnly = (context, request, requestBytes, responseBytes, threadNanos) ->
                throttled.getAndIncrement() == 0 ? throttleMs : 0;
        try (SocketServer server = new SocketServer(List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 0)), registry, 1 << 20)) {
            server.throttleClients(firstOnly);
            server.start();
            boundPort.set(server.boundPort("PLAINTEXT"));
            try (RawKafkaClient client = RawKafkaClient.connect(boundPort.get())) {
                long start = System.nanoTime();
                int first = client.send(new MetadataRequestData(), METADATA_V12);
                int second = client.send(new MetadataRequestData(), METADATA_V12);
                MetadataResponseData firstResponse = client.receive(ApiKeys.METADATA, METADATA_V12, first);
                long firstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                MetadataResponseData secondResponse = client.receive(ApiKeys.METADATA, METADATA_V12, second);
                long secondMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(throttleMs, firstResponse.throttleTimeMs());
                assertEquals(0, secondResponse.throttleTimeMs());
                assertTrue(firstMs < throttleMs, "the throttled response left at once, after " + firstMs + " ms");
                assertTrue(secondMs >= throttleMs, "the next request was read after the throttle time, at " + secondMs + " ms");
            }
        }
    }
}
