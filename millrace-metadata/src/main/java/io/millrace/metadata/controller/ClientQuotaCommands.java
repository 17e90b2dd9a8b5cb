package io.millrace.metadata.controller;

import io.millrace.metadata.controller.command.AlterClientQuotas;
import io.millrace.metadata.controller.command.AlterClientQuotas.Alteration;
import io.millrace.metadata.controller.command.AlterClientQuotas.EntityPart;
import io.millrace.metadata.controller.command.AlterClientQuotas.Op;
import io.millrace.metadata.image.MetadataImage;
import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.metadata.records.QuotaKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * AlterClientQuotas as a pure function of the image, with the validation of Kafka's controller:
 * entity types {@code user} and {@code client-id} (alone or together; {@code ip} is refused: Millrace
 * has no connection-rate quotas), no duplicate entity part, no empty name; keys
 * {@link QuotaKey}; values above 0, whole numbers for the byte rates; a key named twice, or an
 * entity altered twice in one request, is refused. Every refusal is INVALID_REQUEST with a message.
 * Only values that change become records. Stateless.
 */
final class ClientQuotaCommands {
    private ClientQuotaCommands() {
    }

    static CommandResult<AlterClientQuotas.Reply> alter(MetadataImage image, AlterClientQuotas command) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ApiError> results = new ArrayList<>();
        Set<QuotaEntity> seen = new HashSet<>();
        for (Alteration alteration : command.alterations()) {
            List<MetadataRecord> entityRecords = new ArrayList<>();
            ApiError error = alterOne(image, alteration, seen, entityRecords);
            results.add(error);
            if (error.isSuccess()) {
                records.addAll(entityRecords);
            }
        }
        if (command.validateOnly()) {
            return CommandResult.reply(new AlterClientQuotas.Reply(results));
        }
        String event = records.isEmpty() ? null : "Client quotas altered: " + records.size() + " change(s)";
        return new CommandResult<>(records, new AlterClientQuotas.Reply(results), event);
    }

    private static ApiError alterOne(MetadataImage image, Alteration alteration, Set<QuotaEntity> seen,
                                     List<MetadataRecord> out) {
        ParsedEntity parsed = entity(alteration.entity());
        if (parsed.error() != null) {
            return parsed.error();
        }
        QuotaEntity entity = parsed.entity();
        if (!seen.add(entity)) {
            return invalid("Ignoring duplicate entity " + entity);
        }
        Set<String> keys = new HashSet<>();
        Map<String, Double> current = image.clientQuotas().quotas(entity);
        for (Op op : alteration.ops()) {
            if (!keys.add(op.key())) {
                return invalid("Duplicate quota key " + op.key() + " not updating quota for this entity " + entity);
            }
            if (op.remove()) {
                if (current.containsKey(op.key())) {
                    out.add(ClientQuotaRecord.removal(entity, op.key()));
                }
                continue;
            }
            ApiError error = validateValue(op.key(), op.value());
            if (!error.isSuccess()) {
                return error;
            }
            Double old = current.get(op.key());
            if (old == null || old != op.value()) {
                out.add(ClientQuotaRecord.set(entity, op.key(), op.value()));
            }
        }
        return ApiError.NONE;
    }

    /** The entity an alteration names, or (entity null) the error saying why it names none. */
    private record ParsedEntity(QuotaEntity entity, ApiError error) {
        static ParsedEntity refused(String message) {
            return new ParsedEntity(null, invalid(message));
        }
    }

    private static ParsedEntity entity(List<EntityPart> parts) {
        if (parts.isEmpty()) {
            return ParsedEntity.refused("Invalid empty client quota entity");
        }
        boolean hasUser = false;
        boolean hasClientId = false;
        String user = null;
        String clientId = null;
        for (EntityPart part : parts) {
            String type = part.type();
            if (part.name() != null && part.name().isEmpty()) {
                return ParsedEntity.refused("Empty " + type + " not supported");
            }
            if (QuotaEntity.USER.equals(type)) {
                if (hasUser) {
                    return ParsedEntity.refused("Invalid client quota entity, duplicate entity entry " + type);
                }
                hasUser = true;
                user = part.name();
            } else if (QuotaEntity.CLIENT_ID.equals(type)) {
                if (hasClientId) {
                    return ParsedEntity.refused("Invalid client quota entity, duplicate entity entry " + type);
                }
                hasClientId = true;
                clientId = part.name();
            } else if ("ip".equals(type)) {
                return ParsedEntity.refused("IP quotas (connection_creation_rate) are not supported by Millrace");
            } else {
                return ParsedEntity.refused("Unhandled client quota entity type: " + type);
            }
        }
        return new ParsedEntity(new QuotaEntity(hasUser, user, hasClientId, clientId), null);
    }

    private static ApiError validateValue(String key, double value) {
        Optional<QuotaKey> known = QuotaKey.of(key);
        if (known.isEmpty()) {
            return invalid("Invalid configuration key " + key);
        }
        if (!(value > 0.0)) {
            return invalid("Quota " + key + " must be greater than 0");
        }
        if (known.get().integral()) {
            if (value > Long.MAX_VALUE) {
                return invalid("Proposed value for " + key + " is too large for a LONG.");
            }
            if (Math.abs(value % 1.0) > 1e-6) {
                return invalid(key + " cannot be a fractional value.");
            }
        } else if (Double.isInfinite(value)) {
            return invalid("Quota " + key + " must be finite");
        }
        return ApiError.NONE;
    }

    private static ApiError invalid(String message) {
        return ApiError.of(Errors.INVALID_REQUEST, message);
    }
}
