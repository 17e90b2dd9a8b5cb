package io.millrace.storage;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.record.TimestampType;

/**
 * Checks the batches of an append before anything is written; the first bad batch rejects the
 * whole append. From producers: a length that fits the buffer and covers a header, magic 2, a
 * size within max.message.bytes, a matching CRC, not a control batch, at least one record,
 * lastOffsetDelta = records - 1, then each record ({@link RecordChecker}, walking the records, in
 * place when uncompressed): offset deltas 0..n-1, for CreateTime topics every timestamp within
 * message.timestamp.before/after.max.ms of now, for compacted topics a key on every record, and
 * no LogAppendTime batch (but on a CreateTime topic, where its timestamps are checked instead);
 * the last three reject the batch with every offending record named ({@link RejectedRecordsException}).
 * From a leader (follower appends): length, magic, CRC and increasing offsets.
 *
 * <p>Stateless and thread-safe.
 */
final class AppendValidator {

    private AppendValidator() {
    }

    static ValidatedBatches validateFromProducer(ByteBuffer buffer, LogConfig config, long nowMs,
                                                 TopicPartition partition) {
        RecordBatchHeader header = new RecordBatchHeader();
        ValidatedBatches batches = new ValidatedBatches(countBatches(buffer, header, partition));
        boolean createTime = config.timestampType() == TimestampType.CREATE_TIME;
        RecordChecker checker = new RecordChecker(partition, createTime, nowMs, config.timestampBeforeMaxMs(),
                config.timestampAfterMaxMs(), config.compact());
        long totalBytes = 0;
        for (int position = buffer.position(); position < buffer.limit(); position += header.sizeInBytes()) {
            header.wrap(buffer, position);
            checkFraming(header, config.maxMessageBytes(), partition);
            if (header.isControl()) {
                throw new InvalidRecordException("Producers may not write control batches (" + partition + ")");
            }
            int records = header.recordsCount();
            if (records <= 0) {
                throw new InvalidRecordException("A batch to " + partition + " declares " + records + " records");
            }
            if (header.lastOffsetDelta() != records - 1) {
                throw new InvalidRecordException("A batch to " + partition + " has lastOffsetDelta "
                        + header.lastOffsetDelta() + " for " + records + " records");
            }
            checker.startBatch(header);
            KafkaRecords.forEachRecord(buffer, position, checker);
            batches.add(position, checker.endBatch(), records, records);
            totalBytes += header.sizeInBytes();
        }
        if (totalBytes > config.segmentBytes()) {
            throw new RecordBatchTooLargeException("An append of " + totalBytes + " bytes to " + partition
                    + " exceeds segment.bytes " + config.segmentBytes());
        }
        return batches;
    }

    /** For a follower copying its leader: framing and CRC only, offsets must increase from {@code nextOffset}. */
    static ValidatedBatches validateFromLeader(ByteBuffer buffer, long nextOffset, TopicPartition partition) {
        RecordBatchHeader header = new RecordBatchHeader();
        ValidatedBatches batches = new ValidatedBatches(countBatches(buffer, header, partition));
        long expected = nextOffset;
        for (int position = buffer.position(); position < buffer.limit(); position += header.sizeInBytes()) {
            header.wrap(buffer, position);
            checkFraming(header, Integer.MAX_VALUE, partition);
            if (header.baseOffset() < expected || header.lastOffsetDelta() < 0) {
                throw new InvalidRecordException("Replicated batch " + header.baseOffset() + ".." + header.lastOffset()
                        + " of " + partition + " does not follow offset " + expected);
            }
            expected = header.nextOffset();
            batches.add(position, header.maxTimestamp(), header.lastOffsetDelta() + 1, header.recordsCount());
        }
        return batches;
    }

    /** Counts batches, checking only that each declared length fits the buffer. */
    private static int countBatches(ByteBuffer buffer, RecordBatchHeader header, TopicPartition partition) {
        int count = 0;
        int position = buffer.position();
        while (position < buffer.limit()) {
            int remaining = buffer.limit() - position;
            if (remaining < RecordBatchHeader.HEADER_SIZE) {
                throw new CorruptRecordException("Records for " + partition + " end with " + remaining
                        + " bytes, too few for a batch header");
            }
            int length = header.wrap(buffer, position).batchLength();
            if (length < RecordBatchHeader.MIN_BATCH_LENGTH || length > remaining - RecordBatchHeader.LOG_OVERHEAD) {
                throw new CorruptRecordException("A batch for " + partition + " declares length " + length + " but "
                        + (remaining - RecordBatchHeader.LOG_OVERHEAD) + " bytes follow");
            }
            position += RecordBatchHeader.LOG_OVERHEAD + length;
            count++;
        }
        return count;
    }

    private static void checkFraming(RecordBatchHeader header, int maxBatchBytes, TopicPartition partition) {
        if (header.magic() != RecordBatchHeader.MAGIC_V2) {
            throw new UnsupportedForMessageFormatException("A batch for " + partition + " has magic " + header.magic()
                    + "; only the v2 format (magic 2) is supported");
        }
        if (header.sizeInBytes() > maxBatchBytes) {
            throw new RecordTooLargeException("A batch of " + header.sizeInBytes() + " bytes for " + partition
                    + " exceeds max.message.bytes " + maxBatchBytes);
        }
        if (!header.isCrcValid()) {
            throw new CorruptRecordException("A batch for " + partition + " fails its CRC check (stored "
                    + header.crc() + ", computed " + header.computeCrc() + ")");
        }
    }
}
