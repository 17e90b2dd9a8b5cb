package io.millrace.coordinator.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

class PartitionSetTest {
    private static final Uuid T = Uuid.randomUuid();
    private static final Uuid U = Uuid.randomUuid();

    @Test
    void setOperations() {
        PartitionSet a = PartitionSet.builder().addAll(T, List.of(0, 1, 2)).add(U, 0).build();
        PartitionSet b = PartitionSet.builder().addAll(T, List.of(2, 3)).build();

        assertEquals(PartitionSet.builder().addAll(T, List.of(0, 1)).add(U, 0).build(), a.minus(b));
        assertEquals(PartitionSet.builder().add(T, 2).build(), a.intersect(b));
        assertEquals(6 - 1, a.union(b).size());
        assertTrue(a.containsAny(b));
        assertFalse(a.containsAll(b));
        assertTrue(a.union(b).containsAll(b));
        assertEquals(Map.of(), a.minus(a).asMap());
        assertSame(PartitionSet.EMPTY, a.minus(a));
    }

    @Test
    void emptyTopicsAreNotHeldSoEqualityIsBySetContent() {
        assertEquals(PartitionSet.EMPTY, PartitionSet.of(Map.of(T, List.of())));
        assertEquals(PartitionSet.of(Map.of(T, List.of(1, 0))), PartitionSet.builder().add(T, 0).add(T, 1).build());
    }
}
