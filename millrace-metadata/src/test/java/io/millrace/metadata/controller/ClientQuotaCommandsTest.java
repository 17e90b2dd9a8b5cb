package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.command.AlterClientQuotas;
import io.millrace.metadata.controller.command.AlterClientQuotas.Alteration;
import io.millrace.metadata.controller.command.AlterClientQuotas.EntityPart;
import io.millrace.metadata.controller.command.AlterClientQuotas.Op;
import io.millrace.metadata.image.ClientQuotasImage.ResolvedQuota;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.MetadataRecordSerde;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.metadata.records.QuotaKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ClientQuotaCommandsTest {
    private static final EntityPart ALICE = new EntityPart("user", "alice");
    private static final EntityPart DEFAULT_USER = new EntityPart("user", null);
    private static final EntityPart APP = new EntityPart("client-id", "app");
    private static final EntityPart DEFAULT_CLIENT = new EntityPart("client-id", null);

    private static Alteration set(List<EntityPart> entity, String key, double value) {
        return new Alteration(entity, List.of(new Op(key, value, false)));
    }

    private static CommandResult<AlterClientQuotas.Reply> alter(MetadataImage image, boolean validateOnly,
                                                                Alteration... alterations) {
        return ClientQuotaCommands.alter(image, new AlterClientQuotas(List.of(alterations), validateOnly));
    }

    private static List<Errors> errors(CommandResult<AlterClientQuotas.Reply> result) {
        return result.reply().results().stream().map(ApiError::error).toList();
    }

    @Test
    void setsChangesAndRemovesQuotasOnlyWhereTheyChange() {
        CommandResult<AlterClientQuotas.Reply> first = alter(MetadataImage.EMPTY, false,
                set(List.of(ALICE), "producer_byte_rate", 1024),
                set(List.of(DEFAULT_CLIENT), "consumer_byte_rate", 2048),
                set(List.of(ALICE, APP), "request_percentage", 12.5));
        assertEquals(List.of(Errors.NONE, Errors.NONE, Errors.NONE), errors(first));
        MetadataImage image = after(MetadataImage.EMPTY, first);
        assertEquals(Map.of("producer_byte_rate", 1024.0), image.clientQuotas().quotas(QuotaEntity.user("alice")));
        assertEquals(Map.of("consumer_byte_rate", 2048.0), image.clientQuotas().quotas(QuotaEntity.clientId(null)));
        assertEquals(Map.of("request_percentage", 12.5),
                image.clientQuotas().quotas(QuotaEntity.userAndClientId("alice", "app")));

        CommandResult<AlterClientQuotas.Reply> same = alter(image, false, set(List.of(ALICE), "producer_byte_rate", 1024));
        assertTrue(same.records().isEmpty(), "an unchanged value writes nothing");

        CommandResult<AlterClientQuotas.Reply> remove = alter(image, false, new Alteration(List.of(ALICE),
                List.of(new Op("producer_byte_rate", 0, true), new Op("consumer_byte_rate", 0, true))));
        assertEquals(List.of(ClientQuotaRecord.removal(QuotaEntity.user("alice"), "producer_byte_rate")), remove.records());
        assertTrue(after(image, remove).clientQuotas().quotas(QuotaEntity.user("alice")).isEmpty());
    }

    @Test
    void refusesWhatKafkaRefusesWithInvalidRequest() {
        CommandResult<AlterClientQuotas.Reply> r = alter(MetadataImage.EMPTY, false,
                set(List.of(), "producer_byte_rate", 1),
                set(List.of(new EntityPart("ip", "1.2.3.4")), "connection_creation_rate", 1),
                set(List.of(new EntityPart("group", "g")), "producer_byte_rate", 1),
                set(List.of(ALICE, new EntityPart("user", "bob")), "producer_byte_rate", 1),
                set(List.of(new EntityPart("user", "")), "producer_byte_rate", 1),
                set(List.of(APP), "unknown_rate", 1),
                set(List.of(new EntityPart("client-id", "b")), "producer_byte_rate", 0),
                set(List.of(new EntityPart("client-id", "c")), "producer_byte_rate", 10.5),
                set(List.of(new EntityPart("client-id", "d")), "request_percentage", -1),
                new Alteration(List.of(DEFAULT_USER), List.of(new Op("producer_byte_rate", 5, false),
                        new Op("producer_byte_rate", 6, false))),
                set(List.of(ALICE), "controller_mutation_rate", 0.5),
                set(List.of(ALICE), "consumer_byte_rate", 100));
        List<Errors> expected = new ArrayList<>(java.util.Collections.nCopies(10, Errors.INVALID_REQUEST));
        expected.add(Errors.NONE);
        expected.add(Errors.INVALID_REQUEST); // the same entity twice in one request
        assertEquals(expected, errors(r));
        assertEquals("Invalid configuration key unknown_rate", r.reply().results().get(5).message());
        assertEquals("producer_byte_rate cannot be a fractional value.", r.reply().results().get(7).message());
        assertEquals(List.of(ClientQuotaRecord.set(QuotaEntity.user("alice"), "controller_mutation_rate", 0.5)),
                r.records());
    }

    @Test
    void validateOnlyAnswersButWritesNothing() {
        CommandResult<AlterClientQuotas.Reply> r = alter(MetadataImage.EMPTY, true,
                set(List.of(ALICE), "producer_byte_rate", 1024), set(List.of(APP), "producer_byte_rate", -5));
        assertEquals(List.of(Errors.NONE, Errors.INVALID_REQUEST), errors(r));
        assertTrue(r.records().isEmpty());
    }

    @Test
    void resolutionFollowsKafkasPrecedence() {
        String key = "producer_byte_rate";
        List<Alteration> levels = List.of(
                set(List.of(DEFAULT_CLIENT), key, 8), set(List.of(APP), key, 7), set(List.of(DEFAULT_USER), key, 6),
                set(List.of(DEFAULT_USER, DEFAULT_CLIENT), key, 5), set(List.of(DEFAULT_USER, APP), key, 4),
                set(List.of(ALICE), key, 3), set(List.of(ALICE, DEFAULT_CLIENT), key, 2), set(List.of(ALICE, APP), key, 1));
        MetadataImage image = MetadataImage.EMPTY;
        assertEquals(Optional.empty(), image.clientQuotas().resolve(QuotaKey.PRODUCER_BYTE_RATE, "alice", "app"));
        List<ResolvedQuota> seen = new ArrayList<>();
        for (Alteration level : levels) {
            image = after(image, alter(image, false, level));
            seen.add(image.clientQuotas().resolve(QuotaKey.PRODUCER_BYTE_RATE, "alice", "app").orElseThrow());
        }
        assertEquals(List.of(new ResolvedQuota("", "app", 8), new ResolvedQuota("", "app", 7),
                new ResolvedQuota("alice", "", 6), new ResolvedQuota("alice", "app", 5),
                new ResolvedQuota("alice", "app", 4), new ResolvedQuota("alice", "", 3),
                new ResolvedQuota("alice", "app", 2), new ResolvedQuota("alice", "app", 1)), seen);
        assertEquals(Optional.empty(), image.clientQuotas().resolve(QuotaKey.CONSUMER_BYTE_RATE, "alice", "app"));
        assertEquals(new ResolvedQuota("bob", "other", 5), image.clientQuotas().resolve(QuotaKey.PRODUCER_BYTE_RATE,
                "bob", "other").orElseThrow(), "the default user and default client id: a rate per user and client id");
    }

    @Test
    void quotaRecordsRoundTrip() {
        for (ClientQuotaRecord record : List.of(ClientQuotaRecord.set(QuotaEntity.userAndClientId(null, "app"), "x", 1.5),
                ClientQuotaRecord.removal(QuotaEntity.user("alice"), "producer_byte_rate"),
                ClientQuotaRecord.set(QuotaEntity.clientId(null), "consumer_byte_rate", 1e9))) {
            assertEquals(record, MetadataRecordSerde.deserialize(MetadataRecordSerde.serialize(record)));
        }
    }
}
