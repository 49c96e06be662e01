package io.evkeygen.kms;

import com.google.protobuf.ByteString;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.server.GrpcTransport;
import io.evkeygen.server.ServerException;
import java.io.InputStream;

/**
 * One DownloadKey stream read as the key file's bytes, as the Python SDK reads it: every reply's
 * header must be Success (the transport checks it), non-empty content is appended in arrival order,
 * and the first {@code eof} ends the file. A stream that ends without {@code eof} is refused, and
 * so is one longer than the cap. Only the chunk being read and the next are held (flow control:
 * {@link GrpcTransport#serverStream}); {@link #close()} cancels a download not read to its end.
 */
final class KeyDownload extends InputStream {
    private static final String RPC = "DownloadKey";

    private final GrpcTransport.Replies<DownloadKeyResponse> replies;
    private final String what;
    private final long cap;
    private ByteString chunk = ByteString.EMPTY;
    private int pos;
    private long total;
    private boolean eof;

    KeyDownload(GrpcTransport.Replies<DownloadKeyResponse> replies, String what, long cap) {
        this.replies = replies;
        this.what = what;
        this.cap = cap;
    }

    @Override
    public int read() {
        while (pos == chunk.size()) {
            if (eof || !nextChunk()) {
                return -1;
            }
        }
        return chunk.byteAt(pos++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (pos == chunk.size()) {
            if (eof || !nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(len, chunk.size() - pos);
        chunk.copyTo(b, pos, off, n);
        pos += n;
        return n;
    }

    /** Takes the next reply; false once the file has ended. */
    private boolean nextChunk() {
        DownloadKeyResponse r = replies.next();
        if (r == null) {
            throw ServerException.protocol(RPC, "KMS " + RPC + " of " + what + " ended after " + total
                    + " bytes without eof: the download is incomplete");
        }
        total += r.getContent().size();
        if (total > cap) {
            replies.close();
            throw ServerException.protocol(RPC, "KMS " + RPC + " of " + what + " is larger than " + cap
                    + " bytes: refused");
        }
        chunk = r.getContent();
        pos = 0;
        if (r.getEof()) {
            eof = true;
            replies.close(); // nothing after the first eof is read, as the SDK does
        }
        return true;
    }

    /** The bytes received so far. */
    long received() {
        return total;
    }

    @Override
    public void close() {
        replies.close();
    }
}
