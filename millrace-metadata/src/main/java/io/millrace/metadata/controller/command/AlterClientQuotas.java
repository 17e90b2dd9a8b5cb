package io.millrace.metadata.controller.command;

import io.millrace.metadata.controller.ApiError;
import java.util.List;

/**
 * AlterClientQuotas: set or remove quota values of entities, as the request named them (entity
 * types and names unchecked, so the controller answers bad ones as Kafka does).
 *
 * @param validateOnly check and answer, write nothing
 */
public record AlterClientQuotas(List<Alteration> alterations, boolean validateOnly)
        implements ControllerCommand<AlterClientQuotas.Reply> {

    /** One part of an entity: type "user", "client-id" (or anything a client sent); a null name is the default. */
    public record EntityPart(String type, String name) {
    }

    /** Set {@code key} to {@code value}, or remove it. */
    public record Op(String key, double value, boolean remove) {
    }

    public record Alteration(List<EntityPart> entity, List<Op> ops) {
    }

    /** One error (or NONE) per alteration, in request order. */
    public record Reply(List<ApiError> results) {
    }

    @Override
    public Class<Reply> replyType() {
        return Reply.class;
    }
}
