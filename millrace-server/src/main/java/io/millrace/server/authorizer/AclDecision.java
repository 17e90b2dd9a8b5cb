package io.millrace.server.authorizer;

import io.millrace.metadata.acl.AclEntry;

/**
 * The outcome of one authorization and the rule that decided it, for the authorizer's log.
 *
 * @param allowed whether the operation is allowed
 * @param rule    what decided, e.g. {@code MatchingAcl(acl=..., result=DENIED)} or {@code DefaultDeny}
 */
public record AclDecision(boolean allowed, String rule) {
    static final AclDecision SUPER_USER = new AclDecision(true, "SuperUser");
    static final AclDecision NO_ACL_ALLOW = new AclDecision(true, "DefaultAllow(allow.everyone.if.no.acl.found=true)");
    static final AclDecision NO_ACL_DENY = new AclDecision(false, "DefaultDeny");
    static final AclDecision NO_MATCHING_ALLOW = new AclDecision(false, "NoMatchingAllowAcl");

    static AclDecision matching(AclEntry acl, boolean allowed) {
        return new AclDecision(allowed, "MatchingAcl(acl=" + acl + ", result=" + (allowed ? "ALLOWED" : "DENIED") + ")");
    }
}
