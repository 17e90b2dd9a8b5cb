package io.millrace.server.config;

import org.apache.kafka.common.protocol.Errors;

/** Which config resource a request names, checked once for Describe, Alter and IncrementalAlter. */
public final class ConfigResources {
    public static final byte TOPIC = 2;
    public static final byte BROKER = 4;
    public static final byte BROKER_LOGGER = 8;
    public static final byte GROUP = 32;

    private ConfigResources() {
    }

    public enum Kind { TOPIC, BROKER, BROKER_DEFAULTS, BROKER_LOGGER, GROUP }

    /** A resolved resource, or the error to answer for it. */
    public record Target(Kind kind, Errors error, String message) {
        static Target of(Kind kind) {
            return new Target(kind, Errors.NONE, null);
        }

        static Target error(Errors error, String message) {
            return new Target(null, error, message);
        }
    }

    public static Target resolve(byte type, String name, int nodeId, ConfigDescriber describer) {
        switch (type) {
            case TOPIC:
                if (!describer.topicExists(name)) {
                    return Target.error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic " + name + " does not exist");
                }
                return Target.of(Kind.TOPIC);
            case BROKER:
            case BROKER_LOGGER:
                if (name == null || name.isEmpty()) {
                    return type == BROKER ? Target.of(Kind.BROKER_DEFAULTS)
                            : Target.error(Errors.INVALID_REQUEST, "Broker logger resources need a broker id");
                }
                if (!name.equals(Integer.toString(nodeId))) {
                    return Target.error(Errors.INVALID_REQUEST, "Unexpected broker id, expected " + nodeId
                            + " or empty string, but received " + name);
                }
                return Target.of(type == BROKER ? Kind.BROKER : Kind.BROKER_LOGGER);
            case GROUP:
                if (name == null || name.isEmpty()) {
                    return Target.error(Errors.INVALID_REQUEST, "A group config resource needs a group id");
                }
                return Target.of(Kind.GROUP);
            default:
                return Target.error(Errors.INVALID_REQUEST, "Config resource type " + type + " is not supported");
        }
    }
}
