package org.apache.kafka.common.utils;

/**
 * Test-only bridge for Kafka's file and MirrorMaker 2 connectors. Their 4.4.0 builds are not on
 * Maven Central, so the tests load the 4.3.1 builds as plugins of the 4.4.0 Connect runtime; those
 * call {@code AppInfoParser.getVersion()} in {@code version()}, a class kafka-clients 4.4 moved to
 * {@code org.apache.kafka.common.utils.internals}. This is the one method they use, answered by
 * the moved class. Delete it (and the plugins' version pin in millrace-it's pom) once the 4.4.0
 * connector builds can be had.
 */
public final class AppInfoParser {
    private AppInfoParser() {
    }

    public static String getVersion() {
        return org.apache.kafka.common.utils.internals.AppInfoParser.getVersion();
    }
}
