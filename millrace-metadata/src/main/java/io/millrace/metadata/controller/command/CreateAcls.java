package io.millrace.metadata.controller.command;

import io.millrace.metadata.acl.AclEntry;
import io.millrace.metadata.controller.ApiError;
import java.util.List;

/** CreateAcls: the ACLs to add, in request order. */
public record CreateAcls(List<AclEntry> creations) implements ControllerCommand<CreateAcls.Reply> {

    /** One result per creation, in request order. */
    public record Reply(List<ApiError> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
