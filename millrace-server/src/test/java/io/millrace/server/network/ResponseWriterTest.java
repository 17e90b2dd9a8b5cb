package io.millrace.server.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.wire.batch.FileRegion;
import io.millrace.wire.batch.KafkaRecords;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ResponseWriter must produce byte for byte what the generated classes write to one buffer. */
class ResponseWriterTest {

    @Test
    void smallResponseIsOneExactlySizedBuffer() {
        FetchResponseData response = fetchResponse(3, 100);
        ResponseBytes bytes = ResponseWriter.serialize(42, (short) 1, response, (short) 16);
        assertEquals(1, ((GatheredBuffers) bytes).partCount());
        assertArrayEquals(reference(42, (short) 1, response, (short) 16), written(bytes));
    }

    @Test
    void largeRecordBuffersAreSeparatePartsAndTheBytesMatch() {
        // many medium record sets; then one larger than a single socket write
        for (FetchResponseData response : new FetchResponseData[] {fetchResponse(40, 70_000), fetchResponse(1, 600_000)}) {
            int partitions = response.responses().get(0).partitions().size();
            for (short version : new short[] {4, 11, 12, 16, ApiKeys.FETCH.latestVersion()}) {
                short headerVersion = ApiKeys.FETCH.responseHeaderVersion(version);
                ResponseBytes bytes = ResponseWriter.serialize(7, headerVersion, response, version);
                byte[] expected = reference(7, headerVersion, response, version);
                assertEquals(expected.length, bytes.size());
                assertTrue(((GatheredBuffers) bytes).partCount() > partitions, "record buffers are not copied");
                assertArrayEquals(expected, written(bytes), "v" + version);
            }
        }
    }

    @Test
    void fileRegionsAreSentFromTheFileAndTheBytesMatch(@TempDir Path dir) throws Exception {
        FetchResponseData inMemory = fetchResponse(5, 20_000);
        Path file = dir.resolve("segment.log");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[123])); // the regions do not start at 0
            FetchResponseData fromFile = fetchResponse(5, 20_000);
            for (FetchResponseData.PartitionData p : fromFile.responses().get(0).partitions()) {
                ByteBuffer bytes = KafkaRecords.bufferOf(p.records());
                long position = channel.position();
                int size = bytes.remaining();
                channel.write(bytes);
                p.setRecords(KafkaRecords.fileRegion(new FileRegion(channel, position, size)));
            }
            fromFile.responses().get(0).partitions().get(2).setRecords(KafkaRecords.empty());
            inMemory.responses().get(0).partitions().get(2).setRecords(KafkaRecords.empty());
            for (short version : new short[] {4, 12, ApiKeys.FETCH.latestVersion()}) {
                short headerVersion = ApiKeys.FETCH.responseHeaderVersion(version);
                ResponseBytes bytes = ResponseWriter.serialize(9, headerVersion, fromFile, version);
                byte[] expected = reference(9, headerVersion, inMemory, version);
                assertEquals(expected.length, bytes.size());
                // 4 regions, each between buffer runs (none after the last one before v12's tagged fields)
                assertEquals(version >= 12 ? 9 : 8, ((FileRegionFrame) bytes).pieceCount());
                assertArrayEquals(expected, written(bytes), "v" + version);
            }
        }
    }

    @Test
    void varintsMatchTheReferenceEncoding() {
        int[] ints = {0, 1, -1, 63, 64, -64, -65, 127, 128, 16_383, 16_384, Integer.MAX_VALUE, Integer.MIN_VALUE};
        long[] longs = {0, 1, -1, 1L << 35, -(1L << 35), Long.MAX_VALUE, Long.MIN_VALUE};
        ByteBufferAccessor reference = new ByteBufferAccessor(ByteBuffer.allocate(1024));
        for (int i : ints) {
            reference.writeUnsignedVarint(i);
            reference.writeVarint(i);
        }
        for (long l : longs) {
            reference.writeVarlong(l);
        }
        ResponseWriter writer = ResponseWriter.forTest(reference.buffer().position());
        for (int i : ints) {
            writer.writeUnsignedVarint(i);
            writer.writeVarint(i);
        }
        for (long l : longs) {
            writer.writeVarlong(l);
        }
        ByteBuffer expected = reference.buffer().flip();
        byte[] expectedBytes = new byte[expected.remaining()];
        expected.get(expectedBytes);
        assertArrayEquals(expectedBytes, written(writer.finish()));
    }

    private static FetchResponseData fetchResponse(int partitions, int recordBytes) {
        Random random = new Random(7);
        FetchResponseData response = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopic("events");
        for (int p = 0; p < partitions; p++) {
            byte[] records = new byte[recordBytes + p];
            random.nextBytes(records);
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(1000 + p)
                    .setRecords(KafkaRecords.wrap(ByteBuffer.wrap(records))));
        }
        response.responses().add(topic);
        return response;
    }

    private static byte[] reference(int correlationId, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.allocate(4 + size));
        accessor.writeInt(size);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return accessor.buffer().array();
    }

    private static byte[] written(ResponseBytes bytes) {
        CollectingChannel channel = new CollectingChannel();
        try {
            bytes.writeTo(channel);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return channel.out.toByteArray();
    }

    /** Takes at most 1000 bytes per write, so partial gathering writes are exercised too. */
    private static final class CollectingChannel implements GatheringByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long budget = 1000;
            long total = 0;
            for (int i = offset; i < offset + length && budget > 0; i++) {
                int n = (int) Math.min(budget, srcs[i].remaining());
                byte[] chunk = new byte[n];
                srcs[i].get(chunk);
                out.writeBytes(chunk);
                budget -= n;
                total += n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src});
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
