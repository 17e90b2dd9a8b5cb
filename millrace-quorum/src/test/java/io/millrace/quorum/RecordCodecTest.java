package io.millrace.quorum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.controller.ApiError;
import io.millrace.metadata.controller.ConfigChange;
import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.controller.command.AllocateProducerIds;
import io.millrace.metadata.controller.command.AlterConfigs;
import io.millrace.metadata.controller.command.AlterPartition;
import io.millrace.metadata.controller.command.AlterReassignments;
import io.millrace.metadata.controller.command.AlterClientQuotas;
import io.millrace.metadata.controller.command.AlterScramCredentials;
import io.millrace.metadata.controller.command.BrokerHeartbeat;
import io.millrace.metadata.controller.command.ControllerCommand;
import io.millrace.metadata.controller.command.CreateAcls;
import io.millrace.metadata.controller.command.CreatePartitions;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.metadata.controller.command.DeleteAcls;
import io.millrace.metadata.controller.command.DeleteTopics;
import io.millrace.metadata.controller.command.ElectLeaders;
import io.millrace.metadata.controller.command.Errors;
import io.millrace.metadata.controller.command.RegisterBroker;
import io.millrace.metadata.records.BrokerEndpoint;
import io.millrace.metadata.records.PartitionRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final PartitionRecord PARTITION = new PartitionRecord(TOPIC_ID, 3, List.of(1, 2, 3), List.of(1, 2),
            1, 7, 9, List.of(3), List.of());
    private static final ApiError ERROR = ApiError.of(org.apache.kafka.common.protocol.Errors.INVALID_REPLICA_ASSIGNMENT,
            "bad \u00e9 assignment");
    private static final AclEntry ACL = new AclEntry(ResourceType.TOPIC, "orders-", PatternType.PREFIXED, "User:alice",
            "*", AclOperation.READ, AclPermissionType.DENY);

    /** One instance of every command, exercising nulls, nested records, lists, maps and enums. */
    static List<ControllerCommand<?>> allCommands() {
        return List.of(
                new CreateTopics(List.of(
                        new TopicSpec("orders", 3, (short) 2, Map.of(), Map.of("cleanup.policy", "compact")),
                        new TopicSpec("events", -1, (short) -1, Map.of(0, List.of(1, 2), 1, List.of(2, 3)), Map.of())),
                        true),
                new DeleteTopics(List.of(TOPIC_ID, Uuid.randomUuid())),
                new CreatePartitions("orders", 6, List.of(List.of(1, 2), List.of(3, 1)), false),
                new AlterConfigs(List.of(new ConfigChange((byte) 2, "orders", "retention.ms", "1000"),
                        new ConfigChange((byte) 4, "", "log.retention.ms", null)), false),
                new AllocateProducerIds(2, 1000),
                new RegisterBroker(3, Uuid.randomUuid(),
                        List.of(new BrokerEndpoint("PLAINTEXT", "127.0.0.1", 9092, "PLAINTEXT")), null),
                new BrokerHeartbeat(3, 42L, 1234L, true),
                new AlterPartition(1, 17L, List.of(new AlterPartition.IsrChange(TOPIC_ID, 0, 4, 5, List.of(1, 2)))),
                new ElectLeaders(ElectLeaders.PREFERRED, List.of(new ElectLeaders.TopicPartitionRef("orders", 0))),
                new ElectLeaders(ElectLeaders.UNCLEAN, null),
                new AlterReassignments(List.of(new AlterReassignments.Reassignment("orders", 0, List.of(2, 3)),
                        new AlterReassignments.Reassignment("orders", 1, null))),
                new AlterScramCredentials(List.of(new AlterScramCredentials.Upsertion("alice", (byte) 1, 8192,
                        new byte[] {1, 2}, new byte[] {3, 4, 5})), List.of(new AlterScramCredentials.Deletion("bob", (byte) 2))),
                new CreateAcls(List.of(ACL)),
                new DeleteAcls(List.of(AclFilter.ANY, new AclFilter(ResourceType.GROUP, null, PatternType.MATCH,
                        "User:bob", null, AclOperation.ANY, AclPermissionType.ALLOW))),
                new AlterClientQuotas(List.of(new AlterClientQuotas.Alteration(
                        List.of(new AlterClientQuotas.EntityPart("user", null), new AlterClientQuotas.EntityPart("client-id", "app")),
                        List.of(new AlterClientQuotas.Op("producer_byte_rate", 1024, false),
                                new AlterClientQuotas.Op("request_percentage", 0, true)))), true));
    }

    static List<Record> allReplies() {
        return List.of(
                new CreateTopics.Reply(List.of(new CreateTopicResult("orders", ApiError.NONE, TOPIC_ID, 3, (short) 2),
                        CreateTopicResult.failed("bad", ERROR))),
                new Errors(List.of(ApiError.NONE, ERROR)),
                ERROR,
                ApiError.NONE,
                new AllocateProducerIds.Reply(5000L, 1000),
                new RegisterBroker.Reply(ApiError.NONE, 99L),
                new BrokerHeartbeat.Reply(ERROR, true, false, true),
                new AlterPartition.Reply(ApiError.NONE, List.of(
                        new AlterPartition.Result(TOPIC_ID, 0, ApiError.NONE, PARTITION),
                        new AlterPartition.Result(TOPIC_ID, 1, ERROR, null))),
                new ElectLeaders.Reply(List.of(new ElectLeaders.Result("orders", 0, ERROR))),
                new AlterScramCredentials.Reply(List.of(new AlterScramCredentials.UserResult("alice", ERROR))),
                new CreateAcls.Reply(List.of(ApiError.NONE, ERROR)),
                new DeleteAcls.Reply(List.of(new DeleteAcls.FilterResult(ApiError.NONE, List.of(ACL)),
                        new DeleteAcls.FilterResult(ERROR, List.of()))),
                new AlterClientQuotas.Reply(List.of(ApiError.NONE, ERROR)),
                new QuorumInfo(2, 5, 100L, List.of(new QuorumInfo.Voter(1, 99, 10, -1),
                        new QuorumInfo.Voter(2, 100, 20, 20))));
    }

    @Test
    void everyCommandRoundTrips() {
        Set<Class<?>> covered = new HashSet<>();
        for (ControllerCommand<?> command : allCommands()) {
            byte[] bytes = RecordCodec.encode(command);
            assertEquals(command, RecordCodec.decode(command.getClass(), bytes), command.getClass().getName());
            covered.add(command.getClass());
        }
        assertEquals(new HashSet<>(Arrays.asList(ControllerCommand.class.getPermittedSubclasses())), covered,
                "every permitted command is covered");
    }

    @Test
    void everyReplyRoundTripsAsItsReplyType() {
        for (Record reply : allReplies()) {
            assertEquals(reply, RecordCodec.decode(reply.getClass(), RecordCodec.encode(reply)));
        }
        for (ControllerCommand<?> command : allCommands()) {
            // every reply type is decodable (records of io.millrace.* only)
            RecordCodec.allowedRecordClass(command.replyType().getName(), Record.class);
        }
    }

    @Test
    void commandClassIsLoadedByNameOnlyInsideMillrace() {
        assertEquals(CreateTopics.class,
                RecordCodec.allowedRecordClass(CreateTopics.class.getName(), ControllerCommand.class));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCodec.allowedRecordClass("java.lang.Runtime", ControllerCommand.class));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCodec.allowedRecordClass(ApiError.class.getName(), ControllerCommand.class));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCodec.allowedRecordClass("io.millrace.NoSuchClass", ControllerCommand.class));
    }

    record Foreign(java.time.Duration duration) {
    }

    @Test
    void refusesRecordsOutsideMillraceAndUnsupportedComponents() {
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.encode(new Foreign(java.time.Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.encode("not a record"));
    }

    @Test
    void corruptInputIsRejected() {
        byte[] bytes = RecordCodec.encode(allCommands().get(0));
        assertThrows(IllegalArgumentException.class,
                () -> RecordCodec.decode(CreateTopics.class, Arrays.copyOf(bytes, bytes.length - 3)));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(CreateTopics.class, longer));
    }

    record Wide(byte[] bytes, List<Integer> nullable, Map<String, List<Long>> nested, char c, double d) {
    }

    @Test
    void nullElementsAndBytesSurvive() {
        List<Integer> withNull = new ArrayList<>();
        withNull.add(1);
        withNull.add(null);
        Wide wide = new Wide(new byte[] {1, 2, 3}, withNull, Map.of("a", List.of(1L, 2L)), 'x', 1.5);
        Wide decoded = RecordCodec.decode(Wide.class, RecordCodec.encode(wide));
        assertArrayEquals(wide.bytes(), decoded.bytes());
        assertEquals(withNull, decoded.nullable());
        assertEquals(wide.nested(), decoded.nested());
        assertEquals('x', decoded.c());
    }
}
