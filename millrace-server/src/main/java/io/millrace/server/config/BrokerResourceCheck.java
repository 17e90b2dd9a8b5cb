package io.millrace.server.config;

import java.util.Map;

/**
 * A check of a change to a broker config resource as a whole, beyond each key's own validation:
 * a key store altered at runtime must load, and agree with the one it replaces. Implementations
 * are thread-safe.
 */
@FunctionalInterface
public interface BrokerResourceCheck {
    BrokerResourceCheck NONE = (kind, changes, next) -> null;

    /**
     * Null when the change is acceptable, else the message answered with INVALID_REQUEST (as
     * Kafka answers a dynamic broker config it cannot apply).
     *
     * @param kind    BROKER (this node) or BROKER_DEFAULTS (every broker)
     * @param changes the keys to set, a null value for a key to delete
     * @param next    the resource's dynamic overrides once changed
     */
    String check(ConfigResources.Kind kind, Map<String, String> changes, Map<String, String> next);
}
