package io.millrace.server.authorizer;

import io.millrace.metadata.acl.AclEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of one metadata image, indexed for authorization, with the rules of Kafka's
 * StandardAuthorizer (KIP-11, KIP-290):
 * <ul>
 *   <li>the ACLs that apply to a resource are its LITERAL ones, the LITERAL {@code *} of its
 *       type, and the PREFIXED ones whose name starts the resource's name;</li>
 *   <li>an ACL applies to a request when its principal is the request's or {@code User:*} and its
 *       host is the client's address or {@code *};</li>
 *   <li>a DENY for the operation (or ALL) wins over any ALLOW; an ALLOW of ALL allows everything,
 *       an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE, and one of ALTER_CONFIGS
 *       also DESCRIBE_CONFIGS;</li>
 *   <li>a resource with no ACL at all (for anyone) is allowed only with
 *       {@code allow.everyone.if.no.acl.found}; otherwise, without a matching ALLOW, denied.</li>
 * </ul>
 * Super users are the {@link AclAuthorizer}'s business. Immutable and thread-safe.
 */
public final class AclIndex {
    static final AclIndex EMPTY = of(List.of());

    private static final Set<AclOperation> IMPLIES_DESCRIBE = EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ,
            AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS =
            EnumSet.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    private final Map<ResourceType, Map<String, List<AclEntry>>> literal;
    private final Map<ResourceType, Map<String, List<AclEntry>>> prefixed;
    private final Map<ResourceType, List<AclEntry>> byType;

    private AclIndex(Map<ResourceType, Map<String, List<AclEntry>>> literal,
                     Map<ResourceType, Map<String, List<AclEntry>>> prefixed, Map<ResourceType, List<AclEntry>> byType) {
        this.literal = literal;
        this.prefixed = prefixed;
        this.byType = byType;
    }

    public static AclIndex of(Collection<AclEntry> acls) {
        Map<ResourceType, Map<String, List<AclEntry>>> literal = new EnumMap<>(ResourceType.class);
        Map<ResourceType, Map<String, List<AclEntry>>> prefixed = new EnumMap<>(ResourceType.class);
        Map<ResourceType, List<AclEntry>> byType = new EnumMap<>(ResourceType.class);
        for (AclEntry acl : acls) {
            Map<ResourceType, Map<String, List<AclEntry>>> patterns = switch (acl.patternType()) {
                case LITERAL -> literal;
                case PREFIXED -> prefixed;
                default -> null; // never created: the controller refuses other pattern types
            };
            if (patterns == null) {
                continue;
            }
            patterns.computeIfAbsent(acl.resourceType(), t -> new HashMap<>())
                    .computeIfAbsent(acl.resourceName(), n -> new ArrayList<>()).add(acl);
            byType.computeIfAbsent(acl.resourceType(), t -> new ArrayList<>()).add(acl);
        }
        return new AclIndex(literal, prefixed, byType);
    }

    /** Whether {@code principal} at {@code host} may do {@code operation} on the resource, and why. */
    public AclDecision decide(String principal, String host, AclOperation operation, ResourceType type, String name,
                              boolean allowIfNoAcl) {
        Search search = new Search(principal, host, operation);
        Map<String, List<AclEntry>> literals = literal.getOrDefault(type, Map.of());
        search.check(literals.get(name));
        if (!name.equals(AclEntry.WILDCARD_RESOURCE)) {
            search.check(literals.get(AclEntry.WILDCARD_RESOURCE));
        }
        Map<String, List<AclEntry>> prefixes = prefixed.getOrDefault(type, Map.of());
        if (!prefixes.isEmpty()) {
            for (int end = 1; end <= name.length() && search.deny == null; end++) {
                search.check(prefixes.get(name.substring(0, end)));
            }
        }
        if (search.deny != null) {
            return AclDecision.matching(search.deny, false);
        }
        if (search.allow != null) {
            return AclDecision.matching(search.allow, true);
        }
        if (!search.resourceHasAcls) {
            return allowIfNoAcl ? AclDecision.NO_ACL_ALLOW : AclDecision.NO_ACL_DENY;
        }
        return AclDecision.NO_MATCHING_ALLOW;
    }

    /**
     * Whether some ALLOW ACL of {@code type} for the principal and host, with {@code operation}
     * or ALL, names a resource that no such DENY covers (Kafka's authorizeByResourceType without
     * its first check, which the caller makes on a made-up resource name).
     */
    public boolean allowsSomeResource(String principal, String host, AclOperation operation, ResourceType type) {
        Set<String> deniedLiterals = new HashSet<>();
        List<String> deniedPrefixes = new ArrayList<>();
        List<AclEntry> allowed = new ArrayList<>();
        for (AclEntry acl : byType.getOrDefault(type, List.of())) {
            if (!appliesTo(acl, principal, host)
                    || acl.operation() != operation && acl.operation() != AclOperation.ALL) {
                continue;
            }
            if (acl.permission() == AclPermissionType.ALLOW) {
                allowed.add(acl);
            } else if (acl.patternType() == PatternType.PREFIXED) {
                deniedPrefixes.add(acl.resourceName());
            } else if (acl.resourceName().equals(AclEntry.WILDCARD_RESOURCE)) {
                return false;
            } else {
                deniedLiterals.add(acl.resourceName());
            }
        }
        for (AclEntry acl : allowed) {
            String name = acl.resourceName();
            boolean deniedByPrefix = deniedPrefixes.stream().anyMatch(name::startsWith);
            boolean deniedLiterally = acl.patternType() == PatternType.LITERAL && deniedLiterals.contains(name);
            if (!deniedByPrefix && !deniedLiterally) {
                return true;
            }
        }
        return false;
    }

    private static boolean appliesTo(AclEntry acl, String principal, String host) {
        return (acl.principal().equals(principal) || acl.principal().equals(AclEntry.WILDCARD_PRINCIPAL))
                && (acl.host().equals(host) || acl.host().equals(AclEntry.WILDCARD_HOST));
    }

    /** Whether an ACL of {@code acl}'s permission and operation decides {@code requested}. */
    private static boolean coversOperation(AclEntry acl, AclOperation requested) {
        AclOperation granted = acl.operation();
        if (granted == AclOperation.ALL || granted == requested) {
            return true;
        }
        if (acl.permission() != AclPermissionType.ALLOW) {
            return false;
        }
        return requested == AclOperation.DESCRIBE && IMPLIES_DESCRIBE.contains(granted)
                || requested == AclOperation.DESCRIBE_CONFIGS && IMPLIES_DESCRIBE_CONFIGS.contains(granted);
    }

    /** One decision's walk over the ACLs that apply to its resource. */
    private static final class Search {
        private final String principal;
        private final String host;
        private final AclOperation operation;
        private boolean resourceHasAcls;
        private AclEntry allow;
        private AclEntry deny;

        Search(String principal, String host, AclOperation operation) {
            this.principal = principal;
            this.host = host;
            this.operation = operation;
        }

        void check(List<AclEntry> acls) {
            if (acls == null) {
                return;
            }
            resourceHasAcls = true;
            for (AclEntry acl : acls) {
                if (!appliesTo(acl, principal, host) || !coversOperation(acl, operation)) {
                    continue;
                }
                if (acl.permission() == AclPermissionType.DENY) {
                    deny = acl;
                    return;
                }
                if (allow == null) {
                    allow = acl;
                }
            }
        }
    }
}
