package io.millrace.server.config;

import io.millrace.metadata.controller.ConfigChange;
import io.millrace.metadata.records.ConfigRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * Turns AlterConfigs (replace all) and IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT)
 * into validated config changes for one resource. Stateless.
 */
public final class ConfigAlterations {
    public static final byte SET = 0;
    public static final byte DELETE = 1;
    public static final byte APPEND = 2;
    public static final byte SUBTRACT = 3;

    private ConfigAlterations() {
    }

    /** One requested operation. */
    public record Op(String name, byte operation, String value) {
    }

    /** The changes to write, or the error to answer. */
    public record Result(List<ConfigChange> changes, Errors error, String message) {
        static Result error(Errors error, String message) {
            return new Result(List.of(), error, message);
        }
    }

    public static Result incremental(ConfigResources.Kind kind, String resourceName, List<Op> ops,
                                     ConfigDescriber describer) {
        Map<String, String> current = describer.overrides(kind, resourceName);
        Map<String, String> target = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Op op : ops) {
            if (!seen.add(op.name())) {
                return Result.error(Errors.INVALID_REQUEST, "Error due to duplicate config keys: " + op.name());
            }
            switch (op.operation()) {
                case SET -> target.put(op.name(), op.value());
                case DELETE -> target.put(op.name(), null);
                case APPEND, SUBTRACT -> {
                    if (!describer.isList(kind, op.name())) {
                        return Result.error(Errors.INVALID_CONFIG, "Config value append/subtract is not allowed for '"
                                + op.name() + "', it is not a list config");
                    }
                    String base = current.containsKey(op.name()) ? current.get(op.name())
                            : describer.effectiveValue(kind, resourceName, op.name());
                    target.put(op.name(), combine(base, op.value(), op.operation() == APPEND));
                }
                default -> {
                    return Result.error(Errors.INVALID_REQUEST, "Unknown config operation " + op.operation());
                }
            }
        }
        return toChanges(kind, resourceName, target, describer);
    }

    public static Result replaceAll(ConfigResources.Kind kind, String resourceName, Map<String, String> configs,
                                    ConfigDescriber describer) {
        Map<String, String> target = new LinkedHashMap<>(configs);
        for (String existing : describer.overrides(kind, resourceName).keySet()) {
            target.putIfAbsent(existing, null);
        }
        return toChanges(kind, resourceName, target, describer);
    }

    private static Result toChanges(ConfigResources.Kind kind, String resourceName, Map<String, String> target,
                                    ConfigDescriber describer) {
        if (kind == ConfigResources.Kind.BROKER_LOGGER) {
            return Result.error(Errors.INVALID_REQUEST, "Changing broker log levels is not supported");
        }
        byte type = switch (kind) {
            case TOPIC -> ConfigRecord.TOPIC;
            case GROUP -> ConfigRecord.GROUP;
            default -> ConfigRecord.BROKER;
        };
        String recordName = kind == ConfigResources.Kind.BROKER_DEFAULTS ? "" : resourceName;
        if (kind == ConfigResources.Kind.BROKER || kind == ConfigResources.Kind.BROKER_DEFAULTS) {
            Map<String, String> next = new HashMap<>(describer.overrides(kind, resourceName));
            target.forEach((key, value) -> {
                if (value == null) {
                    next.remove(key);
                } else {
                    next.put(key, value);
                }
            });
            String why = describer.checkBrokerResource(kind, target, next);
            if (why != null) {
                return Result.error(Errors.INVALID_REQUEST, why);
            }
        }
        List<ConfigChange> changes = new ArrayList<>();
        for (Map.Entry<String, String> e : target.entrySet()) {
            String why = switch (kind) {
                case TOPIC -> describer.checkTopicConfig(e.getKey(), e.getValue());
                case GROUP -> describer.checkGroupConfig(e.getKey(), e.getValue());
                default -> describer.checkDynamicBrokerConfig(e.getKey(), e.getValue());
            };
            if (why != null) {
                return Result.error(Errors.INVALID_CONFIG, why);
            }
            changes.add(new ConfigChange(type, recordName, e.getKey(), e.getValue()));
        }
        return new Result(changes, Errors.NONE, null);
    }

    private static String combine(String base, String value, boolean append) {
        Set<String> items = new LinkedHashSet<>();
        if (base != null && !base.isBlank()) {
            Arrays.stream(base.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        List<String> given = Arrays.stream(value == null ? new String[0] : value.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (append) {
            items.addAll(given);
        } else {
            given.forEach(items::remove);
        }
        return String.join(",", items);
    }
}
