package io.millrace.bench.jmh;

import io.millrace.wire.batch.KafkaRecords;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestAndSize;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The request codec on the broker's hot paths, with kafka-clients' generated classes as the
 * server uses them: decode a Produce request the way {@code RequestDispatcher} does
 * ({@code AbstractRequest.parseRequest} over a {@code ByteBufferAccessor}, record batches
 * sliced, not copied), and encode a Fetch response; plus the two opposite directions (the
 * client's side) for comparison. Both messages carry 6 partitions of one 16 KiB batch
 * (16 records of 1 KiB), at the newest version kafka-clients knows.
 *
 * <p>Encoding here sizes the message, then writes it into one reused heap buffer, copying the
 * records; the server's {@code ResponseWriter} instead hands batches of 4 KiB or more to the
 * socket uncopied, so {@link #encodeFetchResponse} is an upper bound on its cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RequestCodecBench {
    private static final int PARTITIONS = 6;
    private static final int RECORDS_PER_BATCH = 16;

    private final short produceVersion = ApiKeys.PRODUCE.latestVersion();
    private final short fetchVersion = ApiKeys.FETCH.latestVersion();
    private ProduceRequestData produceRequest;
    private FetchResponseData fetchResponse;
    private ByteBuffer produceBytes;
    private ByteBuffer fetchBytes;
    private ByteBuffer scratch;

    @Setup
    public void build() {
        ByteBuffer batch = TempLogs.batch(RECORDS_PER_BATCH);
        Uuid topicId = Uuid.randomUuid();
        List<ProduceRequestData.PartitionProduceData> produced = new ArrayList<>();
        List<FetchResponseData.PartitionData> fetched = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            produced.add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(KafkaRecords.wrap(batch.duplicate())));
            fetched.add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1_000_000)
                    .setLastStableOffset(1_000_000).setLogStartOffset(0)
                    .setRecords(KafkaRecords.wrap(batch.duplicate())));
        }
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData().setTopicId(topicId).setPartitionData(produced));
        produceRequest = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000).setTopicData(topics);
        fetchResponse = new FetchResponseData().setResponses(List.of(
                new FetchResponseData.FetchableTopicResponse().setTopicId(topicId).setPartitions(fetched)));
        produceBytes = encode(produceRequest, produceVersion).duplicate();
        fetchBytes = encode(fetchResponse, fetchVersion).duplicate();
        scratch = ByteBuffer.allocate(Math.max(produceBytes.remaining(), fetchBytes.remaining()));
    }

    @Benchmark
    public RequestAndSize decodeProduceRequest() {
        return AbstractRequest.parseRequest(ApiKeys.PRODUCE, produceVersion, new ByteBufferAccessor(produceBytes.duplicate()));
    }

    @Benchmark
    public ByteBuffer encodeFetchResponse() {
        return encodeInto(fetchResponse, fetchVersion);
    }

    @Benchmark
    public ByteBuffer encodeProduceRequest() {
        return encodeInto(produceRequest, produceVersion);
    }

    @Benchmark
    public AbstractResponse decodeFetchResponse() {
        return AbstractResponse.parseResponse(ApiKeys.FETCH, new ByteBufferAccessor(fetchBytes.duplicate()), fetchVersion);
    }

    private ByteBuffer encodeInto(ApiMessage message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        message.size(cache, version);
        scratch.clear();
        message.write(new ByteBufferAccessor(scratch), cache, version);
        return scratch;
    }

    private static ByteBuffer encode(ApiMessage message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.flip();
    }
}
