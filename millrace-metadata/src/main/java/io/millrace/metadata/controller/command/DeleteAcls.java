package io.millrace.metadata.controller.command;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.acl.AclFilter;
import io.millrace.metadata.controller.ApiError;
import java.util.List;

/** DeleteAcls: every ACL matching any of the filters is deleted. */
public record DeleteAcls(List<AclFilter> filters) implements ControllerCommand<DeleteAcls.Reply> {

    /** A filter's error, or the ACLs it matched (and that are now deleted). */
    public record FilterResult(ApiError error, List<AclEntry> deleted) {
    }

    /** One result per filter, in request order. */
    public record Reply(List<FilterResult> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
