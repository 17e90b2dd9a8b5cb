package io.millrace.metadata.records;

/**
 * Whom a client quota applies to: a user, a client id, or a user and a client id together, as
 * Kafka's {@code ClientQuotaEntity}. A part that is present with a null name is that part's
 * default ({@code --entity-default}): the quota of every user (or client id) without one of its own.
 *
 * @param hasUser     whether the entity names a user (or the default user)
 * @param user        the user's name (the principal's name, e.g. {@code alice}, {@code ANONYMOUS}); null for the default
 * @param hasClientId whether the entity names a client id (or the default client id)
 * @param clientId    the client id; null for the default
 */
public record QuotaEntity(boolean hasUser, String user, boolean hasClientId, String clientId) {
    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";

    public QuotaEntity {
        if (!hasUser && user != null || !hasClientId && clientId != null) {
            throw new IllegalArgumentException("A name for a part the entity does not have");
        }
    }

    public static QuotaEntity user(String name) {
        return new QuotaEntity(true, name, false, null);
    }

    public static QuotaEntity clientId(String name) {
        return new QuotaEntity(false, null, true, name);
    }

    public static QuotaEntity userAndClientId(String user, String clientId) {
        return new QuotaEntity(true, user, true, clientId);
    }

    @Override
    public String toString() {
        String u = hasUser ? "user " + (user == null ? "<default>" : user) : "";
        String c = hasClientId ? "client-id " + (clientId == null ? "<default>" : clientId) : "";
        return (u + " " + c).trim();
    }
}
