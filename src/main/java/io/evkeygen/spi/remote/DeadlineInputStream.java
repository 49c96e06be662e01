package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * A remote object's body that must be read within the call's deadline. A client's read timeout
 * bounds the wait for each byte, not the whole body, so a server that trickles one can hold a reader
 * for ever; at the deadline this stream aborts the response (closing its connection, which also
 * ends a read blocked in it), and every read then fails with a STORE error naming the deadline.
 */
public final class DeadlineInputStream extends FilterInputStream {
    private final String what;
    private final Duration timeout;
    private final ScheduledFuture<?> watchdog;
    private volatile boolean expired;

    /**
     * @param start   when the call began (the deadline covers the request that produced the body)
     * @param timeout the call's deadline from {@code start}
     * @param abort   ends the response, from another thread, so that a blocked read returns
     * @param what    the object, for the message ({@code reading s3://b/k})
     */
    public DeadlineInputStream(InputStream in, Instant start, Duration timeout, Runnable abort, String what) {
        super(in);
        this.what = what;
        this.timeout = timeout;
        this.watchdog = Deadlines.at(Duration.between(Instant.now(), start.plus(timeout)), () -> {
            expired = true;
            abort.run();
        });
    }

    @Override
    public int read() throws IOException {
        return (int) guarded(in::read);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return (int) guarded(() -> in.read(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        return guarded(() -> in.skip(n));
    }

    /** A read after the deadline fails; so does one the abort cut short, with the deadline's error. */
    private long guarded(Read read) throws IOException {
        checkDeadline();
        try {
            long n = read.run();
            checkDeadline();
            return n;
        } catch (IOException | RuntimeException e) {
            checkDeadline();
            throw e;
        }
    }

    private interface Read {
        long run() throws IOException;
    }

    @Override
    public void close() throws IOException {
        watchdog.cancel(false);
        super.close();
    }

    private void checkDeadline() {
        if (expired) {
            throw new KeygenException(KeygenException.Kind.STORE, what + ": no complete answer within "
                    + StoreAccess.seconds(timeout), KeygenException.Setting.STORE_TIMEOUT, null);
        }
    }
}
