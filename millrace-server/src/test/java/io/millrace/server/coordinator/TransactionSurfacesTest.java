package io.millrace.server.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Transactions are served and {@code transaction.version} is advertised at 2 (KIP-890 part 2: the
 * partition leader has the coordinator add partitions); TransactionSurfacesIT checks what a
 * running broker answers.
 */
class TransactionSurfacesTest {
    @Test
    void transactionsAreServedAtVersionTwo() {
        assertTrue(TransactionSurfaces.served());
        assertEquals(Map.of("transaction.version", (short) 2), TransactionSurfaces.features());
    }
}
