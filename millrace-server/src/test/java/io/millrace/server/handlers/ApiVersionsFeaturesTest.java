package io.millrace.server.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.server.api.RequestContext;
import io.millrace.server.network.HandlerRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.Test;

class ApiVersionsFeaturesTest {

    private static ApiVersionsResponseData ask(Map<String, Short> features, short version) {
        ApiVersionsHandler[] handler = new ApiVersionsHandler[1];
        HandlerRegistry.of(List.of(), r -> handler[0] = new ApiVersionsHandler(r, "c", 1, features));
        RequestContext context = new RequestContext(new RequestHeader(ApiKeys.API_VERSIONS, version, "test", 1),
                InetAddress.getLoopbackAddress(), "PLAINTEXT", 1);
        ApiVersionsResponseData response = handler[0].handle(context, new ApiVersionsRequestData()
                .setClientSoftwareName("test").setClientSoftwareVersion("1")).join();
        MessageUtil.toByteBufferAccessor(response, version); // serialisable at that version
        return response;
    }

    @Test
    void advertisesOnlyTheGivenFeaturesFinalizedAtTheirLevel() {
        ApiVersionsResponseData response = ask(Map.of("group.version", (short) 1), (short) 3);
        assertEquals(1, response.supportedFeatures().size());
        assertEquals(1, response.supportedFeatures().find("group.version").maxVersion());
        assertEquals(1, response.finalizedFeatures().find("group.version").maxVersionLevel());
        assertTrue(response.finalizedFeatures().find("transaction.version") == null);
    }

    @Test
    void noFeaturesBeforeVersion3AndNoneWhenNoneAreImplemented() {
        assertTrue(ask(Map.of("group.version", (short) 1), (short) 2).supportedFeatures().isEmpty());
        assertTrue(ask(Map.of(), (short) 4).supportedFeatures().isEmpty());
    }
}
