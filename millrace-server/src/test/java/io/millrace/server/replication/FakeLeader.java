package io.millrace.server.replication;

import io.millrace.wire.batch.KafkaRecords;
import io.millrace.wire.batch.RecordBatchHeader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A tiny Kafka-protocol leader for one partition, for tests: answers ApiVersions and Fetch on
 * 127.0.0.1 from a list of batches (with offsets), a few batches per response, with the
 * leader's checks of a follower's fetch offset (out of range) and last fetched epoch (diverging
 * epoch, KIP-595); an empty answer
 * waits a little, as a long poll would. Thread-safe: batches may be added while it serves.
 */
final class FakeLeader implements AutoCloseable {
    private final String topic;
    private final Uuid topicId;
    private final int batchesPerResponse;
    private final ServerSocket server;
    private final List<ByteBuffer> batches = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Every fetch request received, in order. */
    final List<FetchRequestData> fetches = new CopyOnWriteArrayList<>();
    private volatile long highWatermark = -1;
    /** When set, every fetch waits for it before it is read and answered. */
    private volatile CountDownLatch release;
    private final Semaphore heldFetches = new Semaphore(0);
    /**
     * When not 0, a fetch at epoch 0 opens this fetch session (KIP-227) and later epochs continue
     * it: partition 0 is read from the offset last named, and answered only with news.
     */
    volatile int sessionId;
    private volatile FetchRequestData.FetchPartition inSession;
    private volatile long sentHighWatermark = -1;

    FakeLeader(String topic, Uuid topicId, int batchesPerResponse) throws IOException {
        this.topic = topic;
        this.topicId = topicId;
        this.batchesPerResponse = batchesPerResponse;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("fake-leader-acceptor").start(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    void append(ByteBuffer batch) {
        batches.add(batch.asReadOnlyBuffer());
    }

    /** The leader's log end offset. */
    long logEndOffset() {
        return batches.isEmpty() ? 0 : lastOffset(batches.getLast()) + 1;
    }

    long logStartOffset() {
        return batches.isEmpty() ? 0 : baseOffset(batches.getFirst());
    }

    /**
     * The largest epoch at or below {@code epoch} in this log and the offset where it ends (the
     * base offset of the next epoch's first batch, or the log end); (-1, -1) when none.
     */
    private long[] endOffsetForEpoch(int epoch) {
        int found = -1;
        long end = -1;
        for (ByteBuffer batch : batches) {
            int batchEpoch = new RecordBatchHeader().wrap(batch, 0).partitionLeaderEpoch();
            if (batchEpoch <= epoch) {
                found = batchEpoch;
                end = lastOffset(batch) + 1;
            } else if (found >= 0) {
                end = baseOffset(batch);
                break;
            }
        }
        return new long[] {found, end};
    }

    /** Overrides the high watermark answered (default: the log end offset). */
    void highWatermark(long highWatermark) {
        this.highWatermark = highWatermark;
    }

    /** All batches, concatenated. */
    ByteBuffer log() {
        return concat(batches);
    }

    private static long lastOffset(ByteBuffer batch) {
        return new RecordBatchHeader().wrap(batch, 0).lastOffset();
    }

    private static long baseOffset(ByteBuffer batch) {
        return new RecordBatchHeader().wrap(batch, 0).baseOffset();
    }

    private static ByteBuffer concat(List<ByteBuffer> parts) {
        int size = parts.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(p -> all.put(p.duplicate()));
        return all.flip();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                Thread.ofVirtual().name("fake-leader-conn").start(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] frame = new byte[in.readInt()];
                in.readFully(frame);
                ByteBuffer buffer = ByteBuffer.wrap(frame);
                ApiKeys key = ApiKeys.forId(buffer.getShort(0));
                short version = buffer.getShort(2);
                ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
                RequestHeaderData header = new RequestHeaderData(accessor, key.requestHeaderVersion(version));
                ApiMessage response = switch (key) {
                    case API_VERSIONS -> apiVersions();
                    case FETCH -> fetch(new FetchRequestData(accessor, version), version);
                    default -> throw new IOException("Unexpected " + key);
                };
                out.write(responseFrame(key, version, header.correlationId(), response));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // connection closed
        }
    }

    private static ApiVersionsResponseData apiVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        response.apiKeys().add(new ApiVersion().setApiKey(ApiKeys.API_VERSIONS.id).setMinVersion((short) 0)
                .setMaxVersion((short) 3));
        response.apiKeys().add(new ApiVersion().setApiKey(ApiKeys.FETCH.id).setMinVersion((short) 4)
                .setMaxVersion(ApiKeys.FETCH.latestVersion()));
        return response;
    }

    private FetchResponseData fetch(FetchRequestData request, short version) throws InterruptedException {
        fetches.add(request);
        CountDownLatch held = release;
        if (held != null) {
            heldFetches.release();
            held.await(10, TimeUnit.SECONDS);
        }
        boolean incremental = sessionId != 0 && request.sessionEpoch() > 0;
        FetchResponseData response = new FetchResponseData()
                .setSessionId(sessionId != 0 && request.sessionEpoch() >= 0 ? sessionId : 0);
        List<FetchRequestData.FetchTopic> topics = request.topics();
        if (sessionId != 0) {
            topics.forEach(t -> t.partitions().forEach(p -> inSession = p.partition() == 0 ? p : inSession));
            if (incremental) {
                topics = inSession == null ? List.of() : List.of(new FetchRequestData.FetchTopic().setTopic(topic)
                        .setTopicId(topicId).setPartitions(List.of(inSession)));
            }
        }
        boolean empty = true;
        for (FetchRequestData.FetchTopic wanted : topics) {
            FetchableTopicResponse answer = version >= 13 ? new FetchableTopicResponse().setTopicId(wanted.topicId())
                    : new FetchableTopicResponse().setTopic(wanted.topic());
            boolean ours = version >= 13 ? topicId.equals(wanted.topicId()) : topic.equals(wanted.topic());
            for (FetchRequestData.FetchPartition p : wanted.partitions()) {
                PartitionData data = new PartitionData().setPartitionIndex(p.partition());
                long end = logEndOffset();
                long hw = highWatermark >= 0 ? highWatermark : end;
                if (!ours || p.partition() != 0) {
                    data.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
                } else if (p.fetchOffset() > end || p.fetchOffset() < logStartOffset()) {
                    data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code()).setHighWatermark(hw)
                            .setLogStartOffset(logStartOffset());
                } else if (diverges(p)) {
                    long[] epochEnd = endOffsetForEpoch(p.lastFetchedEpoch());
                    data.setHighWatermark(hw).setLogStartOffset(logStartOffset()).setDivergingEpoch(
                            new FetchResponseData.EpochEndOffset().setEpoch((int) epochEnd[0])
                                    .setEndOffset(epochEnd[1]));
                    empty = false;
                } else {
                    List<ByteBuffer> sent = new ArrayList<>();
                    for (ByteBuffer batch : batches) {
                        if (baseOffset(batch) >= p.fetchOffset() && sent.size() < batchesPerResponse) {
                            sent.add(batch);
                        }
                    }
                    empty &= sent.isEmpty();
                    data.setHighWatermark(hw).setLastStableOffset(hw).setLogStartOffset(logStartOffset())
                            .setRecords(KafkaRecords.wrap(concat(sent)));
                }
                boolean news = data.records() != null && data.records().sizeInBytes() > 0 || data.errorCode() != 0
                        || data.divergingEpoch().epoch() >= 0 || data.highWatermark() != sentHighWatermark;
                sentHighWatermark = data.highWatermark();
                if (news || !incremental) {
                    answer.partitions().add(data);
                }
            }
            if (!answer.partitions().isEmpty()) {
                response.responses().add(answer);
            }
        }
        if (empty) {
            Thread.sleep(Math.min(request.maxWaitMs(), 20));
        }
        return response;
    }

    /** KIP-595: the follower's last fetched epoch ends earlier here than its fetch offset, or is unknown here. */
    private boolean diverges(FetchRequestData.FetchPartition p) {
        if (p.lastFetchedEpoch() < 0) {
            return false;
        }
        long[] epochEnd = endOffsetForEpoch(p.lastFetchedEpoch());
        return epochEnd[0] < p.lastFetchedEpoch() || epochEnd[1] < p.fetchOffset();
    }

    private static byte[] responseFrame(ApiKeys key, short version, int correlationId, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = key.responseHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        accessor.writeInt(size);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    /** From now on, fetches wait (unread, unanswered) until {@link #releaseFetches}. */
    void holdFetches() {
        release = new CountDownLatch(1);
    }

    /** Waits until a fetch is held. */
    void awaitHeldFetch() throws InterruptedException {
        if (!heldFetches.tryAcquire(10, TimeUnit.SECONDS)) {
            throw new AssertionError("No fetch arrived");
        }
    }

    void releaseFetches() {
        CountDownLatch held = release;
        release = null;
        held.countDown();
    }

    /** Drops every open connection (the follower must reconnect). */
    void dropConnections() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropConnections();
    }
}
