package io.millrace.common.config;

/** Where a config value came from; the ids are DescribeConfigs' config_source values. */
public enum ConfigSource {
    DYNAMIC_TOPIC_CONFIG(1),
    DYNAMIC_BROKER_CONFIG(2),
    DYNAMIC_DEFAULT_BROKER_CONFIG(3),
    STATIC_BROKER_CONFIG(4),
    DEFAULT_CONFIG(5),
    DYNAMIC_GROUP_CONFIG(8);

    public final byte wireId;

    ConfigSource(int wireId) {
        this.wireId = (byte) wireId;
    }
}
