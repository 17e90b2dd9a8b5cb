package io.millrace.server.network;

import org.apache.kafka.common.protocol.ApiKeys;

/** The versions of one API this broker serves, both ends inclusive. */
public record ApiVersionRange(ApiKeys apiKey, short minVersion, short maxVersion) {

    public boolean contains(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    @Override
    public String toString() {
        return apiKey.name + " v" + minVersion + "..v" + maxVersion;
    }
}
