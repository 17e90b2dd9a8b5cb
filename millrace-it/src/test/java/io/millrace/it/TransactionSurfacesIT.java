package io.millrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * What a running broker tells clients about transactions (TransactionSurfaces): the transactional
 * APIs are advertised, FindCoordinator(TRANSACTION) names a coordinator and a transactional
 * InitProducerId answers a producer id; {@code transaction.version} is supported from 0 to 2 and
 * finalized at 2, so 4.x clients run transaction version 2 (KIP-890 part 2).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransactionSurfacesIT {
    @TempDir
    Path dataDir;

    @Test
    void transactionsAreAdvertisedAtVersionTwo() throws Exception {
        try (InProcessBroker broker = InProcessBroker.start(dataDir, Map.of());
             RawKafkaConnection raw = RawKafkaConnection.connectAndNegotiate("127.0.0.1", broker.port())) {
            ApiVersionsResponseData versions = (ApiVersionsResponseData) raw.send(new ApiVersionsRequestData()
                    .setClientSoftwareName("it").setClientSoftwareVersion("1"), (short) 3).data();
            for (ApiKeys key : List.of(ApiKeys.ADD_PARTITIONS_TO_TXN, ApiKeys.ADD_OFFSETS_TO_TXN, ApiKeys.END_TXN,
                    ApiKeys.TXN_OFFSET_COMMIT, ApiKeys.WRITE_TXN_MARKERS, ApiKeys.DESCRIBE_TRANSACTIONS,
                    ApiKeys.LIST_TRANSACTIONS, ApiKeys.DESCRIBE_PRODUCERS)) {
                assertNotNull(versions.apiKeys().find(key.id), key + " is advertised");
            }
            assertEquals(0, versions.supportedFeatures().find("transaction.version").minVersion());
            assertEquals(2, versions.supportedFeatures().find("transaction.version").maxVersion());
            assertEquals(2, versions.finalizedFeatures().find("transaction.version").maxVersionLevel());
            assertEquals(2, versions.finalizedFeatures().find("transaction.version").minVersionLevel());

            FindCoordinatorResponseData found = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) { // the first ask creates __transaction_state
                found = (FindCoordinatorResponseData) raw.send(new FindCoordinatorRequestData()
                        .setKeyType((byte) 1).setCoordinatorKeys(List.of("tx")), (short) 4).data();
                if (found.coordinators().get(0).errorCode() == Errors.NONE.code()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(Errors.NONE.code(), found.coordinators().get(0).errorCode(), found.toString());
            assertEquals(broker.port(), found.coordinators().get(0).port());

            InitProducerIdResponseData init = null;
            while (System.nanoTime() < deadline) { // the coordinator partition may still be loading
                init = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                        .setTransactionalId("tx").setTransactionTimeoutMs(60_000).setProducerId(-1)
                        .setProducerEpoch((short) -1)).data();
                if (init.errorCode() == Errors.NONE.code()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(Errors.NONE.code(), init.errorCode(), init.toString());
            assertTrue(init.producerId() >= 0);
            assertEquals(0, init.producerEpoch());

            InitProducerIdResponseData tooLong = (InitProducerIdResponseData) raw.send(new InitProducerIdRequestData()
                    .setTransactionalId("tx-too-long").setTransactionTimeoutMs(Integer.MAX_VALUE).setProducerId(-1)
                    .setProducerEpoch((short) -1)).data();
            assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), tooLong.errorCode());
        }
    }
}
