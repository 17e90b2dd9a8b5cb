package io.millrace.server.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Transactions are served at transaction version 1: the APIs are on, but {@code transaction.version}
 * stays unadvertised until Produce v12+ adds partitions to a transaction itself (KIP-890 part 2);
 * TransactionSurfacesIT checks what a running broker answers.
 */
class TransactionSurfacesTest {
    @Test
    void transactionsAreServedWithoutAdvertisingVersionTwo() {
        assertTrue(TransactionSurfaces.served());
        assertEquals(Map.of(), TransactionSurfaces.features());
    }
}
