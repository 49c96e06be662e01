package io.evkeygen.internal.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** The Java backend's key data: the JDK's SHA-256 and a {@link Base64Stream}, two stages of one pipeline. */
final class JavaKeyDataEncoder extends KeyDataEncoder {
    private final Sha256Digest digest = Sha256Digest.jdk();
    private final Base64Stream base64;
    private final ChunkPipeline pipe;

    JavaKeyDataEncoder(OutputStream text, long expectedLength, boolean parallel) {
        base64 = new Base64Stream(text, Base64Encoder.JAVA);
        pipe = ChunkPipeline.of(parallel, expectedLength, List.of(
                ChunkPipeline.Stage.named("sha256", (b, n) -> digest.update(b, 0, n)),
                ChunkPipeline.Stage.named("base64+write", (b, n) -> base64.write(b, 0, n))));
    }

    @Override
    public void write(int b) throws IOException {
        pipe.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        pipe.write(b, off, len);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        pipe.write(src);
    }

    @Override
    public long count() {
        return pipe.count();
    }

    @Override
    public byte[] finish() throws IOException {
        pipe.close();
        base64.finish();
        return digest.digest();
    }

    @Override
    public void close() {
        pipe.abort();
    }
}
