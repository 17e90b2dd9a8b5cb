package io.millrace.server.quota;

import io.millrace.metadata.image.ClientQuotasImage;
import io.millrace.metadata.records.QuotaEntity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * DescribeClientQuotas' filter, as Kafka's: per entity type, EXACT (a name), DEFAULT (the type's
 * default) or SPECIFIED (any name or the default); an entity matches when it has every filtered
 * type as asked, and, with {@code strict}, no other. Stateless.
 */
public final class QuotaFilter {
    /** Kafka's match types (DescribeClientQuotasRequest.MATCH_TYPE_*). */
    public static final byte EXACT = 0;
    public static final byte DEFAULT = 1;
    public static final byte SPECIFIED = 2;

    /** One filter component: entity type, match type, name (EXACT only). */
    public record Component(String entityType, byte matchType, String match) {
    }

    private QuotaFilter() {
    }

    /**
     * The entities of {@code quotas} the filter selects, in a stable order.
     *
     * @throws InvalidRequestException     for a malformed filter
     * @throws UnsupportedVersionException for an entity type Kafka does not know
     */
    public static List<QuotaEntity> select(ClientQuotasImage quotas, List<Component> components, boolean strict) {
        Map<String, String> exact = new HashMap<>();
        Set<String> specified = new HashSet<>();
        for (Component c : components) {
            String type = c.entityType();
            if (type == null || type.isEmpty()) {
                throw new InvalidRequestException("Invalid empty entity type.");
            }
            if (exact.containsKey(type) || specified.contains(type)) {
                throw new InvalidRequestException("Entity type " + type + " cannot appear more than once in the filter.");
            }
            if (!type.equals(QuotaEntity.USER) && !type.equals(QuotaEntity.CLIENT_ID) && !type.equals("ip")) {
                throw new UnsupportedVersionException("Unsupported entity type " + type);
            }
            switch (c.matchType()) {
                case EXACT -> {
                    if (c.match() == null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exact.put(type, c.match());
                }
                case DEFAULT -> {
                    if (c.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exact.put(type, null);
                }
                case SPECIFIED -> {
                    if (c.match() != null) {
                        throw new InvalidRequestException("Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                    specified.add(type);
                }
                default -> throw new InvalidRequestException("Unknown match type " + c.matchType());
            }
        }
        boolean ip = exact.containsKey("ip") || specified.contains("ip");
        if (ip && exact.size() + specified.size() > 1) {
            throw new InvalidRequestException("Invalid entity filter component combination. IP filter component should "
                    + "not be used with user or clientId filter component.");
        }
        List<QuotaEntity> selected = new ArrayList<>();
        for (QuotaEntity entity : quotas.entities().keySet()) {
            if (!ip && matches(entity, exact, specified, strict)) {
                selected.add(entity);
            }
        }
        selected.sort(Comparator.comparing(QuotaEntity::toString));
        return selected;
    }

    private static boolean matches(QuotaEntity entity, Map<String, String> exact, Set<String> specified, boolean strict) {
        int parts = (entity.hasUser() ? 1 : 0) + (entity.hasClientId() ? 1 : 0);
        if (strict && parts != exact.size() + specified.size()) {
            return false;
        }
        for (Map.Entry<String, String> e : exact.entrySet()) {
            if (!has(entity, e.getKey()) || !Objects.equals(name(entity, e.getKey()), e.getValue())) {
                return false;
            }
        }
        for (String type : specified) {
            if (!has(entity, type)) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(QuotaEntity entity, String type) {
        return type.equals(QuotaEntity.USER) ? entity.hasUser() : type.equals(QuotaEntity.CLIENT_ID) && entity.hasClientId();
    }

    private static String name(QuotaEntity entity, String type) {
        return type.equals(QuotaEntity.USER) ? entity.user() : entity.clientId();
    }
}
