package io.millrace.server.authorizer;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.server.api.Authorization;
import io.millrace.server.api.Authorizer;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The broker's authorizer, behaving as Kafka's {@code StandardAuthorizer}: ACLs live in the
 * cluster metadata (replicated to every node, created by the controller for CreateAcls), so a
 * decision reads this node's current image; {@code super.users} are always allowed;
 * {@code allow.everyone.if.no.acl.found} opens resources nobody wrote an ACL for. The ACL rules
 * are {@link AclIndex}'s.
 *
 * <p>Thread-safe: the index of the current image's ACLs is rebuilt when the image's ACL map
 * changes (a new instance only when an ACL record was replayed) and published through a volatile
 * field; two threads may both rebuild it, harmlessly.
 */
public final class AclAuthorizer implements Authorizer {
    /** The class name Kafka's KRaft brokers configure; the one {@code authorizer.class.name} that enables this. */
    public static final String KAFKA_STANDARD_AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    /** A made-up topic name: a check on it tells whether a principal may act on any resource of a type. */
    private static final String ANY_RESOURCE_PROBE = "hardcode";

    private final Set<String> superUsers;
    private final boolean allowIfNoAcl;
    private final Supplier<MetadataImage> images;
    private volatile IndexedAcls indexed = new IndexedAcls(Map.of(), AclIndex.EMPTY);

    private record IndexedAcls(Map<Uuid, AclEntry> acls, AclIndex index) {
    }

    /**
     * @param superUsers   principals always allowed, e.g. {@code User:admin}
     * @param allowIfNoAcl allow.everyone.if.no.acl.found
     * @param images       this node's current metadata image
     */
    public AclAuthorizer(Set<String> superUsers, boolean allowIfNoAcl, Supplier<MetadataImage> images) {
        this.superUsers = Set.copyOf(superUsers);
        this.allowIfNoAcl = allowIfNoAcl;
        this.images = images;
    }

    /** The principals of a {@code super.users} value: separated by semicolons, blanks ignored. */
    public static Set<String> parseSuperUsers(String value) {
        if (value == null) {
            return Set.of();
        }
        return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    @Override
    public Authorization authorization(String principal, InetAddress clientAddress, ApiKeys api) {
        return new AclAuthorization(this, principal, clientAddress.getHostAddress(), api);
    }

    /** Whether {@code principal} connecting from {@code host} may do {@code operation} on the resource, and why. */
    public AclDecision decide(String principal, String host, AclOperation operation, ResourceType type, String name) {
        if (superUsers.contains(principal)) {
            return AclDecision.SUPER_USER;
        }
        return index().decide(principal, host, operation, type, name, allowIfNoAcl);
    }

    /** Kafka's authorizeByResourceType: whether the principal may do {@code operation} on some resource of {@code type}. */
    public boolean allowsAnyOfType(String principal, String host, AclOperation operation, ResourceType type) {
        if (decide(principal, host, operation, type, ANY_RESOURCE_PROBE).allowed()) {
            return true;
        }
        return index().allowsSomeResource(principal, host, operation, type);
    }

    private AclIndex index() {
        Map<Uuid, AclEntry> acls = images.get().acls();
        IndexedAcls current = indexed;
        if (current.acls() != acls) {
            current = new IndexedAcls(acls, AclIndex.of(acls.values()));
            indexed = current;
        }
        return current.index();
    }
}
