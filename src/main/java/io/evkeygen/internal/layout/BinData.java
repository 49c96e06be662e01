package io.evkeygen.internal.layout;

import io.evkeygen.secret.OwnerOnly;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

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
     * A private scratch file that has no name: created owner-only in the temporary directory, then
     * unlinked at once while kept open, so nothing is left behind however the process ends (a kill -9
     * included).
     */
    static FileChannel anonymousFile(String prefix) throws IOException {
        return anonymousFile(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /**
     * {@link #anonymousFile(String)} in {@code dir}, owner-only as its file system has it (POSIX mode,
     * else an ACL: {@link OwnerOnly#file(Path)}). Without POSIX semantics (Windows) it is also opened
     * delete-on-close, so where the name cannot go while the file is open the system deletes it when
     * the channel closes, a killed process included; on POSIX that option would unlink by name later,
     * which another file of that name could be by then.
     */
    static FileChannel anonymousFile(Path dir, String prefix) throws IOException {
        byte[] rnd = new byte[8];
        new SecureRandom().nextBytes(rnd);
        Path tmp = dir.resolve(prefix + HexFormat.of().formatHex(rnd) + ".bin");
        boolean unlinkNow = OwnerOnly.posix(dir);
        Set<OpenOption> options = unlinkNow ? Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE) : Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        FileChannel ch = OwnerOnly.create(tmp, false, a -> FileChannel.open(tmp, options, a));
        try {
            Files.delete(tmp);
        } catch (IOException | RuntimeException e) {
            if (unlinkNow) {
                ch.close();
                throw e;
            }
        }
        return ch;
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
