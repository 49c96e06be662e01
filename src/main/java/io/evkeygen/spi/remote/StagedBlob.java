package io.evkeygen.spi.remote;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One key file waiting for upload: held in memory up to a threshold, then spilled to a file of a
 * private directory, so a FLAT EvalKey (hundreds of MB) is never held in memory. Readable by ranges,
 * for multipart uploads; {@link #close()} zeroes the memory and deletes the file. Remote key stores
 * stage each file of a key set in one of these (see {@link StagedKeySet}) before uploading it.
 */
public final class StagedBlob implements AutoCloseable {
    private final Path spillDir;
    private final long memoryLimit;
    private byte[] buf = new byte[8192];
    private int count;
    private Path file;
    private OutputStream fileOut;
    private long length;
    private boolean closedForWriting;

    /** {@code spillDir} null: memory only. */
    public StagedBlob(Path spillDir, long memoryLimit) {
        this.spillDir = spillDir;
        this.memoryLimit = memoryLimit;
    }

    /** The stream the key set writer fills; closing it fixes the length. */
    public OutputStream output() {
        return new FilterOutputStream(OutputStream.nullOutputStream()) {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(b, off, len);
            }

            @Override
            public void close() throws IOException {
                finish();
            }
        };
    }

    private void append(byte[] b, int off, int len) throws IOException {
        if (closedForWriting) {
            throw new IOException("staged key file already closed");
        }
        if (fileOut == null && spillDir != null && count + (long) len > memoryLimit) {
            file = Files.createTempFile(spillDir, "blob", ".json");
            fileOut = Files.newOutputStream(file);
            fileOut.write(buf, 0, count);
            Arrays.fill(buf, (byte) 0);
            buf = new byte[0];
            count = 0;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            if (count + (long) len > Integer.MAX_VALUE - 16) {
                throw new IOException("key file too large to hold in memory");
            }
            if (count + len > buf.length) {
                byte[] bigger = Arrays.copyOf(buf, Math.max(count + len, (int) Math.min(Integer.MAX_VALUE - 16, 2L * buf.length)));
                Arrays.fill(buf, (byte) 0);
                buf = bigger;
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
        length += len;
    }

    private void finish() throws IOException {
        if (!closedForWriting) {
            closedForWriting = true;
            if (fileOut != null) {
                fileOut.close();
            }
        }
    }

    public long length() {
        return length;
    }

    public boolean inMemory() {
        return file == null;
    }

    /** Bytes {@code [offset, offset + len)}: a view of memory or a file channel positioned there. */
    public InputStream open(long offset, long len) throws IOException {
        if (file == null) {
            return new ByteArrayInputStream(buf, (int) offset, (int) len);
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(offset);
        return new BoundedInputStream(Channels.newInputStream(ch), len);
    }

    /** The whole content as one stream (the caller closes it). */
    public InputStream open() throws IOException {
        return open(0, length);
    }

    /** The whole content as text (small blobs: secrets). */
    public String text() {
        if (file != null) {
            throw new IllegalStateException("spilled blob is not text");
        }
        return new String(buf, 0, count, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(buf, (byte) 0);
        count = 0;
        try {
            if (fileOut != null) {
                fileOut.close();
            }
        } finally {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** At most {@code remaining} bytes of a stream. */
    private static final class BoundedInputStream extends FilterInputStream {
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
