package io.millrace.server.authorizer;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.AclRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.RemoveAclRecord;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclIndexTest {
    private static final String ALICE = "User:alice";
    private static final String BOB = "User:bob";
    private static final String HOST = "10.0.0.1";

    private static AclEntry acl(ResourceType type, String name, PatternType pattern, String principal, String host,
                                AclOperation operation, AclPermissionType permission) {
        return new AclEntry(type, name, pattern, principal, host, operation, permission);
    }

    private static AclEntry allowTopic(String name, PatternType pattern, String principal, AclOperation operation) {
        return acl(TOPIC, name, pattern, principal, "*", operation, ALLOW);
    }

    private static boolean allowed(List<AclEntry> acls, String principal, AclOperation operation, ResourceType type,
                                   String name) {
        return AclIndex.of(acls).decide(principal, HOST, operation, type, name, false).allowed();
    }

    @Test
    void withoutAclsEverythingIsDeniedUnlessAllowEveryoneIfNoAclFound() {
        AclIndex empty = AclIndex.of(List.of());
        assertFalse(empty.decide(ALICE, HOST, READ, TOPIC, "orders", false).allowed());
        assertEquals("DefaultDeny", empty.decide(ALICE, HOST, READ, TOPIC, "orders", false).rule());
        assertTrue(empty.decide(ALICE, HOST, READ, TOPIC, "orders", true).allowed());
        // allow.everyone applies only to resources nobody wrote an ACL for
        AclIndex bobsOnly = AclIndex.of(List.of(allowTopic("orders", LITERAL, BOB, READ)));
        assertFalse(bobsOnly.decide(ALICE, HOST, READ, TOPIC, "orders", true).allowed());
        assertTrue(bobsOnly.decide(ALICE, HOST, READ, TOPIC, "payments", true).allowed());
    }

    @Test
    void aLiteralAllowMatchesOnlyItsPrincipalResourceAndOperation() {
        List<AclEntry> acls = List.of(allowTopic("orders", LITERAL, ALICE, READ));
        assertTrue(allowed(acls, ALICE, READ, TOPIC, "orders"));
        assertFalse(allowed(acls, BOB, READ, TOPIC, "orders"));
        assertFalse(allowed(acls, ALICE, WRITE, TOPIC, "orders"));
        assertFalse(allowed(acls, ALICE, READ, TOPIC, "orders2"));
        assertFalse(allowed(acls, ALICE, READ, GROUP, "orders"));
    }

    @Test
    void impliedOperations() {
        for (AclOperation granted : List.of(READ, WRITE, DELETE, ALTER)) {
            assertTrue(allowed(List.of(allowTopic("t", LITERAL, ALICE, granted)), ALICE, DESCRIBE, TOPIC, "t"), granted.name());
        }
        assertFalse(allowed(List.of(allowTopic("t", LITERAL, ALICE, CREATE)), ALICE, DESCRIBE, TOPIC, "t"));
        assertTrue(allowed(List.of(allowTopic("t", LITERAL, ALICE, ALTER_CONFIGS)), ALICE, DESCRIBE_CONFIGS, TOPIC, "t"));
        assertFalse(allowed(List.of(allowTopic("t", LITERAL, ALICE, DESCRIBE)), ALICE, READ, TOPIC, "t"));
        for (AclOperation any : List.of(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS)) {
            assertTrue(allowed(List.of(allowTopic("t", LITERAL, ALICE, ALL)), ALICE, any, TOPIC, "t"), any.name());
        }
    }

    @Test
    void denyWinsOverAllowAndImpliesNothing() {
        AclEntry allowAll = allowTopic("orders", LITERAL, ALICE, ALL);
        AclEntry denyWrite = acl(TOPIC, "orders", LITERAL, ALICE, "*", WRITE, DENY);
        List<AclEntry> acls = List.of(allowAll, denyWrite);
        assertFalse(allowed(acls, ALICE, WRITE, TOPIC, "orders"));
        assertTrue(allowed(acls, ALICE, READ, TOPIC, "orders"));
        assertTrue(allowed(acls, ALICE, DESCRIBE, TOPIC, "orders")); // a DENY of WRITE does not deny DESCRIBE
        AclDecision decision = AclIndex.of(acls).decide(ALICE, HOST, WRITE, TOPIC, "orders", true);
        assertTrue(decision.rule().contains("result=DENIED"), decision.rule());
        // a DENY of ALL on a prefix denies every operation under it, whatever allows it literally
        List<AclEntry> prefixDeny = List.of(allowAll, acl(TOPIC, "ord", PREFIXED, "User:*", "*", ALL, DENY));
        assertFalse(allowed(prefixDeny, ALICE, READ, TOPIC, "orders"));
    }

    @Test
    void prefixedAndWildcardPatterns() {
        List<AclEntry> acls = List.of(allowTopic("app-", PREFIXED, ALICE, WRITE), allowTopic("*", LITERAL, BOB, READ));
        assertTrue(allowed(acls, ALICE, WRITE, TOPIC, "app-events"));
        assertTrue(allowed(acls, ALICE, WRITE, TOPIC, "app-"));
        assertFalse(allowed(acls, ALICE, WRITE, TOPIC, "ap"));
        assertFalse(allowed(acls, ALICE, WRITE, TOPIC, "other-app-events"));
        assertTrue(allowed(acls, BOB, READ, TOPIC, "anything"));
        assertFalse(allowed(acls, BOB, WRITE, TOPIC, "anything"));
        // "*" is a wildcard only as a LITERAL name; a PREFIXED "*" matches names starting with '*'
        List<AclEntry> starPrefix = List.of(allowTopic("*", PREFIXED, ALICE, READ));
        assertFalse(allowed(starPrefix, ALICE, READ, TOPIC, "orders"));
    }

    @Test
    void principalAndHostWildcards() {
        List<AclEntry> acls = List.of(acl(TOPIC, "t", LITERAL, "User:*", HOST, READ, ALLOW));
        assertTrue(allowed(acls, ALICE, READ, TOPIC, "t"));
        assertTrue(allowed(acls, BOB, READ, TOPIC, "t"));
        assertFalse(AclIndex.of(acls).decide(ALICE, "10.0.0.2", READ, TOPIC, "t", false).allowed());
    }

    @Test
    void anyResourceOfATypeAsKafkasAuthorizeByResourceType() {
        AclIndex index = AclIndex.of(List.of(allowTopic("app-", PREFIXED, ALICE, WRITE),
                acl(TOPIC, "app-secret", LITERAL, ALICE, "*", WRITE, DENY)));
        assertTrue(index.allowsSomeResource(ALICE, HOST, WRITE, TOPIC));
        assertFalse(index.allowsSomeResource(BOB, HOST, WRITE, TOPIC));
        assertFalse(index.allowsSomeResource(ALICE, HOST, READ, TOPIC));
        AclIndex covered = AclIndex.of(List.of(allowTopic("app-x", LITERAL, ALICE, WRITE),
                acl(TOPIC, "app-", PREFIXED, ALICE, "*", WRITE, DENY)));
        assertFalse(covered.allowsSomeResource(ALICE, HOST, WRITE, TOPIC));
        AclIndex deniedEverywhere = AclIndex.of(List.of(allowTopic("a", LITERAL, ALICE, WRITE),
                acl(TOPIC, "*", LITERAL, ALICE, "*", WRITE, DENY)));
        assertFalse(deniedEverywhere.allowsSomeResource(ALICE, HOST, WRITE, TOPIC));
    }

    @Test
    void theAuthorizerLetsSuperUsersThroughAndFollowsTheImage() {
        AtomicReference<MetadataImage> image = new AtomicReference<>(MetadataImage.EMPTY);
        AclAuthorizer authorizer = new AclAuthorizer(Set.of("User:admin"), false, image::get);
        assertTrue(authorizer.decide("User:admin", HOST, ALTER, ResourceType.CLUSTER, "kafka-cluster").allowed());
        assertFalse(authorizer.decide(ALICE, HOST, READ, TOPIC, "orders").allowed());
        Uuid id = Uuid.randomUuid();
        image.set(image.get().apply(List.<MetadataRecord>of(new AclRecord(id, allowTopic("orders", LITERAL, ALICE, READ)))));
        assertTrue(authorizer.decide(ALICE, HOST, READ, TOPIC, "orders").allowed());
        assertTrue(authorizer.allowsAnyOfType(ALICE, HOST, READ, TOPIC));
        image.set(image.get().apply(List.<MetadataRecord>of(new RemoveAclRecord(id))));
        assertFalse(authorizer.decide(ALICE, HOST, READ, TOPIC, "orders").allowed());
        assertEquals(Set.of("User:admin", "User:broker"), AclAuthorizer.parseSuperUsers(" User:admin ;User:broker;"));
    }
}
