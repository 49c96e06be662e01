package io.evkeygen.internal.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalKeyBufferTest {
    @TempDir
    Path scratch;

    private static void pattern(OutputStream out, long length) throws IOException {
        byte[] chunk = new byte[1 << 16];
        for (long done = 0; done < length; done += chunk.length) {
            int n = (int) Math.min(chunk.length, length - done);
            for (int i = 0; i < n; i++) {
                chunk[i] = (byte) ((done + i) * 31);
            }
            out.write(chunk, 0, n);
        }
    }

    private static byte[] digest(EvalKeyBuffer b) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        b.writeTo(new OutputStream() {
            @Override
            public void write(int x) {
                md.update((byte) x);
            }

            @Override
            public void write(byte[] x, int off, int len) {
                md.update(x, off, len);
            }
        });
        return md.digest();
    }

    @Test
    void smallKeysStayInMemoryAndReplayIdentically() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (EvalKeyBuffer b = EvalKeyBuffer.fill(1000, scratch, out -> {
            runs.incrementAndGet();
            pattern(out, 1000);
        })) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            b.writeTo(a);
            b.writeTo(c);
            assertArrayEquals(a.toByteArray(), c.toByteArray());
            assertEquals(1000, a.size());
        }
        assertEquals(1, runs.get(), "generated once");
        assertEquals(List.of(), TestSupport.list(scratch));
    }

    @Test
    void largeKeysSpillToScratchAndTheFileIsDeleted() throws Exception {
        long length = EvalKeyBuffer.IN_MEMORY_LIMIT + 12345;
        try (EvalKeyBuffer b = EvalKeyBuffer.fill(length, scratch, out -> pattern(out, length))) {
            assertEquals(1, TestSupport.list(scratch).size(), "spilled to one temp file");
            assertEquals(length, b.length());
            assertArrayEquals(digest(b), digest(b));
        }
        assertEquals(List.of(), TestSupport.list(scratch));
    }

    @Test
    void wrongLengthFailsAndLeavesNoFile() {
        long length = EvalKeyBuffer.IN_MEMORY_LIMIT + 1;
        assertThrows(KeygenException.class,
                () -> EvalKeyBuffer.fill(length, scratch, out -> pattern(out, length - 1)));
        assertThrows(KeygenException.class,
                () -> EvalKeyBuffer.fill(10, null, out -> pattern(out, 11)));
        assertEquals(0, scratch.toFile().list().length);
    }
}
