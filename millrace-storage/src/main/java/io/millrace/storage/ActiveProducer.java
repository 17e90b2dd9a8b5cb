package io.millrace.storage;

/**
 * What a partition knows of one producer, as DescribeProducers reports it.
 *
 * @param producerId            the producer id
 * @param producerEpoch         its current epoch here
 * @param lastSequence          the sequence of its last record here, or -1
 * @param lastTimestamp         the max timestamp of its last batch or marker here, or -1
 * @param coordinatorEpoch      the coordinator epoch of its last transaction marker here, or -1
 * @param currentTxnStartOffset the first offset of its open transaction here, or -1
 */
public record ActiveProducer(long producerId, short producerEpoch, int lastSequence, long lastTimestamp,
                             int coordinatorEpoch, long currentTxnStartOffset) {
}
