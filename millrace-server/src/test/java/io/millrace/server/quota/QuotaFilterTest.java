package io.millrace.server.quota;

import static io.millrace.server.quota.QuotaFilter.DEFAULT;
import static io.millrace.server.quota.QuotaFilter.EXACT;
import static io.millrace.server.quota.QuotaFilter.SPECIFIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.metadata.image.ClientQuotasImage;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.server.quota.QuotaFilter.Component;
import java.util.List;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class QuotaFilterTest {
    private static final QuotaEntity ALICE = QuotaEntity.user("alice");
    private static final QuotaEntity DEFAULT_USER = QuotaEntity.user(null);
    private static final QuotaEntity ALICE_APP = QuotaEntity.userAndClientId("alice", "app");
    private static final QuotaEntity APP = QuotaEntity.clientId("app");
    private static final ClientQuotasImage QUOTAS = MetadataImage.EMPTY.apply(List.of(
            ClientQuotaRecord.set(ALICE, "producer_byte_rate", 1), ClientQuotaRecord.set(DEFAULT_USER, "producer_byte_rate", 2),
            ClientQuotaRecord.set(ALICE_APP, "producer_byte_rate", 3), ClientQuotaRecord.set(APP, "producer_byte_rate", 4)))
            .clientQuotas();

    private static List<QuotaEntity> select(boolean strict, Component... components) {
        return QuotaFilter.select(QUOTAS, List.of(components), strict);
    }

    @Test
    void matchTypesAndStrictness() {
        assertEquals(List.of(APP, DEFAULT_USER, ALICE, ALICE_APP).stream().sorted(
                java.util.Comparator.comparing(QuotaEntity::toString)).toList(), select(false));
        assertEquals(List.of(ALICE), select(true, new Component("user", EXACT, "alice")));
        assertEquals(List.of(ALICE, ALICE_APP), select(false, new Component("user", EXACT, "alice")));
        assertEquals(List.of(DEFAULT_USER), select(true, new Component("user", DEFAULT, null)));
        assertEquals(List.of(DEFAULT_USER, ALICE), select(true, new Component("user", SPECIFIED, null)));
        assertEquals(List.of(ALICE_APP), select(false, new Component("client-id", SPECIFIED, null),
                new Component("user", SPECIFIED, null)));
        assertEquals(List.of(), select(false, new Component("ip", SPECIFIED, null)));
    }

    @Test
    void malformedFiltersAreRefusedAsKafkaRefusesThem() {
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("", EXACT, "x")));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("user", EXACT, null)));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("user", DEFAULT, "x")));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("user", SPECIFIED, "x")));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("user", (byte) 7, null)));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("user", SPECIFIED, null),
                new Component("user", EXACT, "a")));
        assertThrows(InvalidRequestException.class, () -> select(false, new Component("ip", SPECIFIED, null),
                new Component("user", EXACT, "a")));
        assertThrows(UnsupportedVersionException.class, () -> select(false, new Component("group", SPECIFIED, null)));
    }
}
