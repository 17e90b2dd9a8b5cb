package io.millrace.metadata.controller;

/**
 * One config to set or remove on a resource.
 *
 * @param resourceType {@link io.millrace.metadata.records.ConfigRecord#TOPIC} or BROKER
 * @param value        null to remove the override
 */
public record ConfigChange(byte resourceType, String resourceName, String name, String value) {
}
