package io.millrace.server.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Transactions stay unadvertised until the whole chain works with a real transactional producer
 * (TransactionSurfacesIT checks what a running broker answers).
 */
class TransactionSurfacesTest {
    @Test
    void theSwitchIsOffAndNoFeatureIsAdvertised() {
        assertFalse(TransactionSurfaces.served());
        assertEquals(Map.of(), TransactionSurfaces.features());
    }
}
