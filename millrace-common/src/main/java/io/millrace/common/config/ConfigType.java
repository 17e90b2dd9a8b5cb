package io.millrace.common.config;

/** Value types, named as Kafka's DescribeConfigs reports them (config_type). */
public enum ConfigType {
    BOOLEAN(1), STRING(2), INT(3), SHORT(4), LONG(5), DOUBLE(6), LIST(7), CLASS(8), PASSWORD(9);

    /** The id DescribeConfigs v3+ sends for this type. */
    public final byte wireId;

    ConfigType(int wireId) {
        this.wireId = (byte) wireId;
    }
}
