package io.millrace.wire.batch;

/**
 * The compression codecs of the v2 batch format, by the id stored in attribute bits 0-2.
 * Our own names, so that callers need not touch kafka-clients' internal {@code CompressionType}.
 */
public enum BatchCompression {
    NONE(0),
    GZIP(1),
    SNAPPY(2),
    LZ4(3),
    ZSTD(4);

    private final int id;

    BatchCompression(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The codec with this id; IllegalArgumentException for ids 5-7, which no codec uses. */
    public static BatchCompression forId(int id) {
        return switch (id) {
            case 0 -> NONE;
            case 1 -> GZIP;
            case 2 -> SNAPPY;
            case 3 -> LZ4;
            case 4 -> ZSTD;
            default -> throw new IllegalArgumentException("Unknown compression codec id " + id);
        };
    }
}
