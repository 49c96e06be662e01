package io.evkeygen.server;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * One {@code register_key} stream seen as an output stream: bytes written are cut into frames of at
 * most {@link EnvectorClient#FRAME_SIZE} and each frame is sent only when gRPC's flow control says
 * the call is ready, so at most a frame or two is ever in memory. Counts and hashes what it sends.
 */
final class Upload<Q, R> extends OutputStream implements ClientResponseObserver<Q, R> {
    private final Object lock = new Object();
    private final Function<ByteString, Q> frame; // chunk -> request
    private final long total;
    private final UploadProgress progress;
    private final byte[] buf;
    private final MessageDigest sha;
    private ClientCallStreamObserver<Q> requests;
    private int fill;
    private long sent;
    private int frames;
    private R response;
    private Throwable failure;
    private boolean done;

    Upload(Function<ByteString, Q> frame, long total, int frameSize, UploadProgress progress) {
        this.frame = frame;
        this.total = total;
        this.progress = progress;
        this.buf = new byte[frameSize];
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Q> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(() -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        });
    }

    @Override
    public void onNext(R value) {
        synchronized (lock) {
            response = value;
        }
    }

    @Override
    public void onError(Throwable t) {
        synchronized (lock) {
            failure = t;
            done = true;
            lock.notifyAll();
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            done = true;
            lock.notifyAll();
        }
    }

    @Override
    public void write(int b) throws InterruptedIOException {
        buf[fill++] = (byte) b;
        if (fill == buf.length) {
            sendFrame();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws InterruptedIOException {
        while (len > 0) {
            int n = Math.min(len, buf.length - fill);
            System.arraycopy(b, off, buf, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == buf.length) {
                sendFrame();
            }
        }
    }

    private void sendFrame() throws InterruptedIOException {
        awaitReady();
        sha.update(buf, 0, fill);
        requests.onNext(frame.apply(ByteString.copyFrom(buf, 0, fill)));
        sent += fill;
        frames++;
        fill = 0;
        progress.sent(sent, total);
    }

    /** Blocks until the transport wants more (or the call failed: thrown as {@link CallFailed}). */
    private void awaitReady() throws InterruptedIOException {
        synchronized (lock) {
            while (failure == null && !done && !requests.isReady()) {
                try {
                    lock.wait(1000); // onReady wakes us; the timeout only guards a missed signal
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("register_key interrupted");
                }
            }
            if (failure != null) {
                throw new CallFailed(failure);
            }
            if (done) {
                throw new CallFailed(new IllegalStateException("the server ended register_key before the payload was sent"));
            }
        }
    }

    /** Sends what is buffered (an empty payload is one empty frame). */
    void finish() throws InterruptedIOException {
        if (fill > 0 || frames == 0) {
            sendFrame();
        }
    }

    long sent() {
        return sent;
    }

    /** Lower-case hex SHA-256 of everything sent (call once, after {@link #finish()}). */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Half-closes and waits for the server's one answer. */
    R complete() throws InterruptedIOException {
        requests.onCompleted();
        synchronized (lock) {
            while (!done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    requests.cancel("interrupted", e);
                    throw new InterruptedIOException("register_key interrupted");
                }
            }
            if (failure != null) {
                throw new CallFailed(failure);
            }
            return response;
        }
    }

    /** Abandons the stream: the server sees a cancelled call, never a completed one. */
    void cancel(String why, Throwable cause) {
        if (requests != null) {
            requests.cancel(why, cause);
        }
    }

    /** The call failed on the server's or the transport's side. */
    static final class CallFailed extends RuntimeException {
        CallFailed(Throwable cause) {
            super(cause);
        }
    }
}
