package io.evkeygen.aws;

import io.evkeygen.spi.remote.DeadlineInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An S3 object read in ranges of the part size, each one GetObject call whose body, too, must
 * arrive within the store's deadline: a FLAT EvalKey (about 700 MB) downloads on a slow link as its
 * upload does, part by part, while a server that trickles a body is cut off at the deadline. Every
 * range after the first is pinned to the first one's ETag ({@code If-Match}), so a concurrent
 * replacement cannot mix two objects. An endpoint that ignores {@code Range} sends the whole object
 * in the first answer, under one deadline.
 */
final class S3RangedInputStream extends InputStream {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final long rangeSize;
    private final Duration timeout;
    private final String what;
    private long position;
    private long length = -1;
    private String eTag;
    private InputStream range;
    private boolean closed;

    S3RangedInputStream(S3Client s3, String bucket, String key, long rangeSize, Duration timeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.rangeSize = rangeSize;
        this.timeout = timeout;
        this.what = "reading s3://" + bucket + "/" + key;
        nextRange(); // the first call now: a missing object fails open(), not the first read
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (range == null) {
                if (position >= length) {
                    return -1;
                }
                nextRange();
            }
            int n = range.read(b, off, len);
            if (n >= 0) {
                position += n;
                return n;
            }
            range.close();
            range = null;
            if (position < length && eTag == null) {
                return -1; // the whole object came at once (no Range support) and ended short: as S3 sent it
            }
        }
    }

    private void nextRange() {
        long last = position + rangeSize - 1;
        Instant start = Instant.now();
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(r -> r.bucket(bucket).key(key).range("bytes=" + position + "-" + last).ifMatch(eTag));
        } catch (SdkException e) {
            throw AwsErrors.store(what, e);
        }
        if (length < 0) {
            String contentRange = body.response().contentRange();
            int slash = contentRange == null ? -1 : contentRange.lastIndexOf('/');
            if (slash < 0) { // the whole object: no further ranges
                Long whole = body.response().contentLength();
                length = whole == null ? Long.MAX_VALUE : whole;
            } else {
                length = Long.parseLong(contentRange.substring(slash + 1).strip());
                eTag = body.response().eTag();
            }
        }
        range = new DeadlineInputStream(body, start, timeout, body::abort, what);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (range != null) {
            range.close();
            range = null;
        }
    }
}
