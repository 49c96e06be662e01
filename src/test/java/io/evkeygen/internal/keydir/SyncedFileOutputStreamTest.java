package io.evkeygen.internal.keydir;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.internal.stream.ByteBufferOutput;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key file takes buffers in place (the native encoder's text), in order with what was written as arrays. */
class SyncedFileOutputStreamTest {
    @TempDir
    Path tmp;

    @Test
    void directBuffersGoToTheFileInOrderWithArraysAndPatches() throws Exception {
        Path file = tmp.resolve("EvalKey.json");
        SyncGroup group = new SyncGroup();
        byte[] text = new byte[(int) SyncedFileOutputStream.EARLY_SYNC_BYTES + 1000]; // crosses an early sync
        new Random(3).nextBytes(text);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (SyncedFileOutputStream out = new SyncedFileOutputStream(FileChannel.open(file, CREATE_NEW, WRITE), group)) {
            ByteBufferOutput direct = out;   // the native key data encoder looks for this
            out.write("{\"hash\":\"xxxx\",\"key_data\":\"".getBytes(StandardCharsets.US_ASCII)); // still buffered
            ByteBuffer native1 = ByteBuffer.allocateDirect(text.length);
            native1.put(text).flip();
            direct.write(native1);
            assertEquals(native1.limit(), native1.position());
            out.write('"');
            direct.write(ByteBuffer.allocateDirect(3).put((byte) 'a').put((byte) 'b').put((byte) 'c').flip());
            out.write("}".getBytes(StandardCharsets.US_ASCII));
            out.patch(9, "abcd".getBytes(StandardCharsets.US_ASCII));
        }
        group.await();
        expected.write("{\"hash\":\"abcd\",\"key_data\":\"".getBytes(StandardCharsets.US_ASCII));
        expected.write(text);
        expected.write("\"abc}".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }
}
