package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions are built but switched off (TransactionSurfaces) until a kafka-clients
 * transactional producer works end to end: a running broker advertises none of the transactional
 * APIs nor the transaction.version feature, FindCoordinator(TRANSACTION) answers
 * COORDINATOR_NOT_AVAILABLE and InitProducerId with a transactional id UNSUPPORTED_VERSION.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionSurfacesIT {
    @TempDir
    Path dataDir;

    @Test
    void nothingTransactionalIsAdvertisedOrServed() {
        try (InProcessBroker broker = InProcessBroker.start(dataDir, Map.of());
             RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) raw.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("it").setClientSoftwareVersion("1"), (short) 3).data();
            for (ApiKeys key : List.of(ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN,
                    ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.WRITE_TXN_MARKERS, ApiKeys.DESCRIBE_TRANSACTIONS,
                    ApiKeys.LIST_TRANSACTIONS)) {
                assertNull(versions.apiKeys().find(key.id), key + " must not be advertised");
            }
            assertNull(versions.supportedFeatures().find("transaction.version"));
            assertNull(versions.finalizedFeatures().find("transaction.version"));
            assertFalse(versions.apiKeys().isEmpty());

            FindCoordinatorResponseData found = (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData()
                    .setKeyType((byte) 1).setCoordinatorKeys(List.of("tx")), (short) 4).data();
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), found.coordinators().get(0).errorCode());

            InitProducerIdResponseData init = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                    .setTransactionalId("tx").setTransactionTimeoutMs(60_000).setProducerId(-1)
                    .setProducerEpoch((short) -1)).data();
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), init.errorCode());
            assertTrue(raw.version(ApiKeys.INIT_PRODUCER_ID) >= 0); // the idempotent path stays advertised
        }
    }
}
