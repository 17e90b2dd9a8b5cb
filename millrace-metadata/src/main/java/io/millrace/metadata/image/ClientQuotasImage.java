package io.millrace.metadata.image;

import io.millrace.metadata.records.ClientQuotaRecord;
import io.millrace.metadata.records.QuotaEntity;
import io.millrace.metadata.records.QuotaKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client quotas of the cluster: each entity's quota values by key name. Immutable, so any
 * thread may read it.
 *
 * <p>{@link #resolve} applies Kafka's precedence: for a user and client id, the first of
 * (user, client-id), (user, default client-id), (user), (default user, client-id), (default user,
 * default client-id), (default user), (client-id), (default client-id) that sets the key.
 */
public record ClientQuotasImage(Map<QuotaEntity, Map<String, Double>> entities) {
    public static final ClientQuotasImage EMPTY = new ClientQuotasImage(Map.of());

    public ClientQuotasImage {
        entities = Map.copyOf(entities);
    }

    /**
     * The quota that applies to {@code key} for a connection of {@code user} with {@code clientId}.
     *
     * @param user     the principal's name ({@code ANONYMOUS} when not authenticated)
     * @param clientId the request header's client id ("" when none)
     */
    public Optional<ResolvedQuota> resolve(QuotaKey key, String user, String clientId) {
        if (entities.isEmpty()) {
            return Optional.empty();
        }
        List<QuotaEntity> order = List.of(
                QuotaEntity.userAndClientId(user, clientId), QuotaEntity.userAndClientId(user, null),
                QuotaEntity.user(user), QuotaEntity.userAndClientId(null, clientId),
                QuotaEntity.userAndClientId(null, null), QuotaEntity.user(null),
                QuotaEntity.clientId(clientId), QuotaEntity.clientId(null));
        for (QuotaEntity entity : order) {
            Double limit = entities.getOrDefault(entity, Map.of()).get(key.configName());
            if (limit != null) {
                // As Kafka's metric tags: one rate per user, per client id, or per both, by the level that matched.
                String userTag = entity.hasUser() ? user : "";
                String clientTag = entity.hasClientId() ? clientId : "";
                return Optional.of(new ResolvedQuota(userTag, clientTag, limit));
            }
        }
        return Optional.empty();
    }

    /** The quotas set on exactly {@code entity}. */
    public Map<String, Double> quotas(QuotaEntity entity) {
        return entities.getOrDefault(entity, Map.of());
    }

    ClientQuotasImage with(ClientQuotaRecord record) {
        Map<QuotaEntity, Map<String, Double>> copy = new HashMap<>(entities);
        Map<String, Double> values = new HashMap<>(copy.getOrDefault(record.entity(), Map.of()));
        if (record.remove()) {
            values.remove(record.key());
        } else {
            values.put(record.key(), record.value());
        }
        if (values.isEmpty()) {
            copy.remove(record.entity());
        } else {
            copy.put(record.entity(), Map.copyOf(values));
        }
        return new ClientQuotasImage(copy);
    }

    /**
     * A quota that applies to a connection: its rate is kept per (userTag, clientIdTag), where a
     * tag is "" when the entity that matched has no such part.
     */
    public record ResolvedQuota(String userTag, String clientIdTag, double limit) {
    }
}
