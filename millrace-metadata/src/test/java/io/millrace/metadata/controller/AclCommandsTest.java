package io.millrace.metadata.controller;

import static io.millrace.metadata.controller.TestImages.after;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.controller.command.CreateAcls;
import io.millrace.metadata.controller.command.DeleteAcls;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ProducerIdsRecord;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclCommandsTest {
    private static final AclEntry READ_ORDERS = topicAcl("orders", PatternType.LITERAL, AclOperation.READ);
    private static final AclEntry WRITE_APP = topicAcl("app-", PatternType.PREFIXED, AclOperation.WRITE);

    private static AclEntry topicAcl(String name, PatternType pattern, AclOperation operation) {
        return new AclEntry(ResourceType.TOPIC, name, pattern, "User:alice", "*", operation, AclPermissionType.ALLOW);
    }

    private static List<Errors> errors(CommandResult<CreateAcls.Reply> result) {
        return result.reply().results().stream().map(ApiError::error).toList();
    }

    @Test
    void createsEachAclOnceAndDeletesWhatAFilterMatches() {
        CommandResult<CreateAcls.Reply> created = AclCommands.create(MetadataImage.EMPTY,
                new CreateAcls(List.of(READ_ORDERS, WRITE_APP, READ_ORDERS)));
        assertEquals(List.of(Errors.NONE, Errors.NONE, Errors.NONE), errors(created));
        assertEquals(2, created.records().size());
        MetadataImage image = after(MetadataImage.EMPTY, created);
        assertEquals(Set.of(READ_ORDERS, WRITE_APP), Set.copyOf(image.acls().values()));
        // creating it again succeeds and writes nothing
        assertTrue(AclCommands.create(image, new CreateAcls(List.of(WRITE_APP))).records().isEmpty());

        AclFilter prefixed = new AclFilter(ResourceType.TOPIC, null, PatternType.PREFIXED, null, null,
                AclOperation.ANY, AclPermissionType.ANY);
        AclFilter unknown = new AclFilter(ResourceType.UNKNOWN, null, PatternType.ANY, null, null,
                AclOperation.ANY, AclPermissionType.ANY);
        CommandResult<DeleteAcls.Reply> deleted = AclCommands.delete(image, new DeleteAcls(List.of(prefixed, unknown,
                AclFilter.ANY)));
        List<DeleteAcls.FilterResult> results = deleted.reply().results();
        assertEquals(List.of(WRITE_APP), results.get(0).deleted());
        assertEquals(Errors.INVALID_REQUEST, results.get(1).error().error());
        assertEquals(Set.of(READ_ORDERS, WRITE_APP), Set.copyOf(results.get(2).deleted()));
        assertEquals(2, deleted.records().size()); // each ACL removed once, though two filters matched one
        assertTrue(after(image, deleted).acls().isEmpty());
    }

    @Test
    void validatesAsKafkaDoes() {
        List<AclEntry> bad = List.of(
                new AclEntry(ResourceType.ANY, "t", PatternType.LITERAL, "User:a", "*", AclOperation.READ, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.TOPIC, "t", PatternType.MATCH, "User:a", "*", AclOperation.READ, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "*", AclOperation.ANY, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "*", AclOperation.READ, AclPermissionType.UNKNOWN),
                new AclEntry(ResourceType.TOPIC, "", PatternType.LITERAL, "User:a", "*", AclOperation.READ, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.CLUSTER, "c", PatternType.LITERAL, "User:a", "*", AclOperation.ALTER, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", "*", AclOperation.READ, AclPermissionType.ALLOW),
                new AclEntry(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, "User:a", "*", AclOperation.ALTER,
                        AclPermissionType.ALLOW));
        CommandResult<CreateAcls.Reply> result = AclCommands.create(MetadataImage.EMPTY, new CreateAcls(bad));
        List<Errors> expected = List.of(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST,
                Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.NONE);
        assertEquals(expected, errors(result));
        assertEquals(1, result.records().size());
    }

    @Test
    void anImageKeepsItsAclMapUntilAnAclRecordIsReplayed() {
        MetadataImage image = after(MetadataImage.EMPTY,
                AclCommands.create(MetadataImage.EMPTY, new CreateAcls(List.of(READ_ORDERS))));
        MetadataImage next = image.apply(List.of(new ProducerIdsRecord(1, 1000)));
        assertSame(image.acls(), next.acls());
    }
}
