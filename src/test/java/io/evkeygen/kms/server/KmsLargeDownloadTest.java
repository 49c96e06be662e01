package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.params.EvalMode;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KekProvider;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23 items 2 and 4: DownloadKey of a FLAT 4096 EvalKey (0.7 GB) from a server process with a
 * 256 MiB heap: the server sends chunks only as gRPC flow control lets it, so the file never has to
 * fit in memory. The client hashes the stream and compares it with the stored file. Prints MB/s.
 */
class KmsLargeDownloadTest {
    @TempDir
    Path tmp;

    @Test
    void flat4096EvalKeyStreamsFromA256MibServer() throws Exception {
        Path keys = tmp.resolve("keys");
        try (KekProvider master = KekProvider.aes(KmsFixture.MASTER);
             KeyGenerator g = KeyGenerator.builder().keyPath(keys).keyId("flat").evalMode(EvalMode.FLAT).dims(4096)
                     .seal(master).build()) {
            g.generateKeys();
        }
        Path evalKey = keys.resolve("flat/EvalKey.json");
        long size = Files.size(evalKey);
        assertTrue(size > 600_000_000L, "a FLAT 4096 EvalKey is about 0.7 GB, not " + size);
        Path tokens = tmp.resolve("tokens");
        Files.writeString(tokens, "alice * " + KmsFixture.sha(KmsFixture.ALICE) + "\n");
        try (KmsProcesses.Child server = KmsProcesses.server(tmp, "small-heap", keys, tokens, "none", 30_000,
                List.of("-Xmx256m"), 4096)) {
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            long chunks = 0;
            long start = System.nanoTime();
            Iterator<DownloadKeyResponse> it = ClientCalls.blockingServerStreamingCall(ClientInterceptors.intercept(
                    server.channel(), MetadataUtils.newAttachHeadersInterceptor(KmsFixture.bearer(KmsFixture.ALICE))),
                    KmsRpcs.DOWNLOAD_KEY, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.MINUTES),
                    DownloadKeyRequest.newBuilder().setHeader(KmsFixture.header()).setKeyId("flat")
                            .setFileType(KeyFileType.KEY_FILE_TYPE_EVAL_KEY).build());
            boolean eof = false;
            while (it.hasNext()) {
                DownloadKeyResponse r = it.next();
                assertEquals(ReturnCode.Success, r.getHeader().getReturnCode(), r.getHeader().getErrorMessage());
                assertEquals(chunks++, r.getChunkIndex());
                assertEquals(size, r.getTotalSize());
                received.update(r.getContent().asReadOnlyByteBuffer());
                bytes += r.getContent().size();
                eof = r.getEof();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(eof);
            assertEquals(size, bytes);
            assertArrayEquals(sha256(evalKey), received.digest(), "the stored bytes exactly");
            assertTrue(server.process().isAlive(), "the server is still up (no OutOfMemoryError)");
            System.out.printf("KMS DownloadKey FLAT 4096 EvalKey: %d bytes in %.1f s = %.0f MB/s (server -Xmx256m)%n",
                    bytes, seconds, bytes / 1e6 / seconds);
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return d.digest();
    }
}
