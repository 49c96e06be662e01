package io.evkeygen.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;

/** A buffered file stream whose close flushes and fsyncs, so a committed key set is on disk. */
final class SyncedFileOutputStream extends OutputStream {
    private final FileChannel channel;
    private final OutputStream buffered;
    private boolean closed;

    SyncedFileOutputStream(FileChannel channel) {
        this.channel = channel;
        this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
    }

    @Override
    public void write(int b) throws IOException {
        buffered.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        buffered.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        buffered.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            buffered.flush();
            channel.force(true);
        }
    }
}
