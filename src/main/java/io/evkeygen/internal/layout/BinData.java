package io.evkeygen.internal.layout;

import io.evkeygen.secret.OwnerOnly;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random access to decoded key data, in memory or in a spill file: verifying a key-switching key
 * needs its {@code a} and {@code b}, which the EvalKey layout stores far apart.
 */
public interface BinData extends AutoCloseable {

    long length();

    /** Reads exactly dst.remaining() bytes at offset. */
    void read(long offset, ByteBuffer dst) throws IOException;

    @Override
    default void close() throws IOException {}

    default byte readByte(long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        read(offset, b);
        return b.get(0);
    }

    default long readU64(long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        read(offset, b);
        return b.getLong(0);
    }

    default byte[] readBytes(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        read(offset, b);
        return b.array();
    }

    /** n little-endian u64 values at offset. */
    default long[] readPoly(long offset, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        read(offset, b);
        long[] a = new long[n];
        b.flip();
        b.asLongBuffer().get(a);
        return a;
    }

    /**
     * A private scratch file that has no name: created owner-only, then unlinked at once while kept
     * open, so nothing is left behind however the process ends (a kill -9 included).
     */
    static FileChannel anonymousFile(String prefix) throws IOException {
        Path tmp = Files.createTempFile(prefix, ".bin", OwnerOnly.file());
        try {
            return FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.delete(tmp);
        }
    }

    static BinData of(byte[] bytes) {
        return new BinData() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                int len = dst.remaining();
                if (offset < 0 || offset + len > bytes.length) {
                    throw new EOFException("read past the end of the key data");
                }
                dst.put(bytes, (int) offset, len);
            }
        };
    }

    static BinData of(Path file) throws IOException {
        return of(FileChannel.open(file, StandardOpenOption.READ));
    }

    /** Random access over an open channel (closed with this BinData), e.g. an unlinked spill file. */
    static BinData of(FileChannel ch) throws IOException {
        long size = ch.size();
        return new BinData() {
            @Override
            public long length() {
                return size;
            }

            @Override
            public void read(long offset, ByteBuffer dst) throws IOException {
                if (offset < 0 || offset + dst.remaining() > size) {
                    throw new EOFException("read past the end of the key data");
                }
                long pos = offset;
                while (dst.hasRemaining()) {
                    int r = ch.read(dst, pos);
                    if (r < 0) {
                        throw new EOFException("read past the end of the key data");
                    }
                    pos += r;
                }
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
