package io.millrace.metadata.controller;

/**
 * Checks a topic config before the controller writes it. Supplied by the server, which knows
 * the config definitions.
 */
@FunctionalInterface
public interface TopicConfigValidator {
    /** Returns null when valid, else the message for INVALID_CONFIG. */
    String check(String name, String value);
}
