package io.millrace.wire.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRegionTest {
    private static final int REGION_BYTES = 4 * 1024 * 1024;

    @TempDir
    Path dir;

    /**
     * On a virtual thread a blocking socket is non-blocking underneath and sendfile answers 0
     * bytes while the send buffer is full: the send must park until the reader makes room, not
     * call transferTo again and again (which burnt a core per slow consumer).
     */
    @Test
    void aFullSocketParksTheVirtualThreadInsteadOfSpinning() throws Exception {
        byte[] content = new byte[REGION_BYTES];
        new Random(7).nextBytes(content);
        Path file = Files.write(dir.resolve("segment.log"), content);
        try (FileChannel real = FileChannel.open(file, StandardOpenOption.READ);
             ServerSocketChannel server = ServerSocketChannel.open()) {
            CountingChannel counting = new CountingChannel(real);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel reader = SocketChannel.open()) {
                reader.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
                reader.connect(server.getLocalAddress());
                try (SocketChannel sending = server.accept()) {
                    sending.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
                    AtomicReference<Throwable> failure = new AtomicReference<>();
                    Thread sender = Thread.ofVirtual().name("region-sender").start(() -> {
                        try {
                            // As a broker's connection thread: a read that parks first, which makes
                            // the JDK switch the socket to non-blocking underneath.
                            readFully(sending, 1);
                            new FileRegion(counting, 0, REGION_BYTES).transferTo(sending);
                        } catch (Throwable e) {
                            failure.set(e);
                        }
                    });
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (sender.getState() != Thread.State.WAITING) {
                        if (System.nanoTime() > deadline) {
                            fail("the sender never waited for the first byte");
                        }
                        Thread.onSpinWait();
                    }
                    reader.write(ByteBuffer.wrap(new byte[] {1}));
                    // Nobody reads yet: the socket fills, and the sender must end up parked.
                    while (!(counting.zeroTransfers.get() > 0 && sender.getState() == Thread.State.WAITING)) {
                        if (System.nanoTime() > deadline) {
                            sending.close(); // ends a spinning transferTo (an interrupt would close the file and wait on it)
                            fail("the sender never parked on a full socket: " + counting.zeroTransfers.get()
                                    + " transfers of 0 bytes, state " + sender.getState());
                        }
                        Thread.onSpinWait();
                    }
                    int zerosWhileParked = counting.zeroTransfers.get();
                    byte[] received = readFully(reader, REGION_BYTES);
                    assertTrue(sender.join(java.time.Duration.ofSeconds(30)), "the sender finished");
                    if (failure.get() != null) {
                        throw new AssertionError(failure.get());
                    }
                    assertArrayEquals(content, received);
                    assertTrue(zerosWhileParked <= 2, "transfers of 0 bytes before parking: " + zerosWhileParked);
                }
            }
        }
    }

    @Test
    void aRegionPastTheEndOfItsFileFailsInsteadOfSendingAShortFrame() throws Exception {
        Path file = Files.write(dir.resolve("short.log"), new byte[100]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            WritableByteChannel sink = new WritableByteChannel() {
                @Override
                public int write(ByteBuffer src) {
                    int n = src.remaining();
                    src.position(src.limit());
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
            assertThrows(EOFException.class, () -> new FileRegion(channel, 0, 200).transferTo(sink));
        }
    }

    private static byte[] readFully(ReadableByteChannel channel, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("read " + buffer.position() + " of " + bytes);
            }
        }
        return buffer.array();
    }

    /** A file channel that counts the transfers that moved nothing. */
    private static final class CountingChannel extends FileChannel {
        private final FileChannel delegate;
        final AtomicInteger zeroTransfers = new AtomicInteger();

        CountingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            long n = delegate.transferTo(position, count, target);
            if (n == 0) {
                zeroTransfers.incrementAndGet();
            }
            return n;
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
