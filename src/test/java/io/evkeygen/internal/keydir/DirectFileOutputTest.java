package io.evkeygen.internal.keydir;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evkeygen.internal.stream.InPlaceOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EvalKey.json written around the page cache: the file holds exactly the bytes written, in order,
 * however they arrived (arrays, buffers, text encoded in place), with the prefix patched at the end,
 * and a file system that refuses a direct write gets the same bytes through the page cache.
 */
class DirectFileOutputTest {
    private static final int HEAD = DirectFileOutput.HEAD;
    private static final int SIZE = StagingBuffers.SIZE;

    @TempDir
    Path tmp;

    private final Random random = new Random(11);
    private final SyncGroup group = new SyncGroup();

    /** The stream LocalKeyStore opens for EvalKey.json; skips unless this file system takes O_DIRECT. */
    private DirectFileOutput openDirect(Path file) throws IOException {
        assumeTrue(DirectFileOutput.enabled(), "direct I/O is for Linux");
        OutputStream out = DirectFileOutput.open(file, FileChannel.open(file, CREATE_NEW, WRITE), group);
        if (!(out instanceof DirectFileOutput direct)) {
            out.close();
            assumeTrue(false, "the file system of " + tmp + " does not open files with O_DIRECT");
            throw new AssertionError();
        }
        return direct;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void bytesArriveInOrderHoweverTheyAreWritten() throws Exception {
        Path file = tmp.resolve("EvalKey.json");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] prefix = "{\"hash\":\"xxxx\",\"key_data\":\"".getBytes();
        try (DirectFileOutput out = openDirect(file)) {
            out.write(prefix);
            expected.write(prefix);
            byte[] first = bytes(HEAD + 1000);    // fills the head and starts the first buffer
            out.write(ByteBuffer.allocateDirect(first.length).put(first).flip());
            expected.write(first);
            assertNotNull(out.claim(1 << 18), "a buffer is lent once the head is full");
            for (int i = 0; i < 23; i++) {         // about 5 buffers of text encoded in place, odd lengths
                int n = (1 << 18) - random.nextInt(5000);
                ByteBuffer lent = out.claim(n);
                byte[] text = bytes(n);
                lent.put(lent.position(), text);
                out.commit(n);
                expected.write(text);
                if (i % 5 == 0) {
                    byte[] array = bytes(777 + i);
                    out.write(array, 0, array.length);
                    expected.write(array);
                    out.write(ByteBuffer.wrap(array, 1, 100));
                    expected.write(array, 1, 100);
                }
            }
            out.write('"');
            out.write('}');
            expected.write("\"}".getBytes());
            out.patch(9, "abcd".getBytes());
            assertTrue(out.writingDirect());
        }
        group.await();
        byte[] want = expected.toByteArray();
        System.arraycopy("abcd".getBytes(), 0, want, 9, 4);
        assertArrayEquals(want, Files.readAllBytes(file));
    }

    @Test
    void everyLengthAroundTheHeadAndTheBuffersComesOutWhole() throws Exception {
        int[] lengths = {0, 1, HEAD - 1, HEAD, HEAD + 1, HEAD + DirectFileOutput.ALIGNMENT,
            HEAD + DirectFileOutput.ALIGNMENT - 1, HEAD + SIZE, HEAD + SIZE + 1, HEAD + 2 * SIZE - 3};
        for (int length : lengths) {
            Path file = tmp.resolve("EvalKey-" + length + ".json");
            byte[] data = bytes(length);
            try (DirectFileOutput out = openDirect(file)) {
                out.write(data);
            }
            group.await();
            assertArrayEquals(data, Files.readAllBytes(file), length + " bytes");
        }
    }

    /** A prefix longer than the head: the patch reaches written blocks and the buffer being filled. */
    @Test
    void aPatchPastTheHeadRewritesTheBytesWhereTheyAre() throws Exception {
        Path file = tmp.resolve("EvalKey.json");
        byte[] data = bytes(HEAD + 3 * SIZE + 12345);
        byte[] patch = bytes(data.length - 100);
        try (DirectFileOutput out = openDirect(file)) {
            out.write(data);
            out.patch(50, patch);
            assertThrows(IOException.class, () -> out.patch(data.length - 10, new byte[11]));
            assertThrows(IOException.class, () -> out.patch(-1, new byte[1]));
        }
        group.await();
        System.arraycopy(patch, 0, data, 50, patch.length);
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    /** A closed direct channel stands for a file system that refuses the writes: the page cache takes them. */
    @Test
    void aRefusedDirectWriteGoesThroughThePageCache() throws Exception {
        Path file = tmp.resolve("EvalKey.json");
        FileChannel refusing = FileChannel.open(Files.createFile(tmp.resolve("other")), WRITE);
        refusing.close();
        byte[] data = bytes(HEAD + 2 * SIZE + 999);
        DirectFileOutput out = new DirectFileOutput(FileChannel.open(file, CREATE_NEW, WRITE), refusing, group);
        out.write(data);
        out.close();
        group.await();
        assertFalse(out.writingDirect());
        assertArrayEquals(data, Files.readAllBytes(file));
    }

    @Test
    void aWriteThatFailsBothWaysFailsTheFile() throws Exception {
        Path file = Files.createFile(tmp.resolve("EvalKey.json"));
        FileChannel closed = FileChannel.open(file, WRITE);
        closed.close();
        DirectFileOutput out = new DirectFileOutput(closed, closed, new SyncGroup());
        out.write(bytes(HEAD + SIZE + 1));      // the first buffer's write fails in the background
        assertThrows(IOException.class, out::close);
        out.close();                            // once is enough
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void bufferIsLentOnlyOnceTheHeadIsFullAndWithRoomEnough() throws Exception {
        try (DirectFileOutput out = openDirect(tmp.resolve("EvalKey.json"))) {
            InPlaceOutput inPlace = out;
            assertNull(inPlace.claim(10), "the head is written as a copy");
            out.write(bytes(HEAD));
            assertNull(inPlace.claim(SIZE), "more than a buffer can hold after a partial block");
            ByteBuffer lent = inPlace.claim(100);
            assertTrue(lent.isDirect());
            assertTrue(lent.remaining() >= 100);
            assertThrows(IllegalArgumentException.class, () -> inPlace.commit(lent.remaining() + 1));
            assertThrows(IllegalArgumentException.class, () -> inPlace.commit(-1));
        }
        group.await();
    }

    @Test
    void thePropertyTurnsItOff() throws Exception {
        String old = System.getProperty(DirectFileOutput.PROPERTY);
        System.setProperty(DirectFileOutput.PROPERTY, "false");
        try {
            Path file = tmp.resolve("EvalKey.json");
            try (OutputStream out = DirectFileOutput.open(file, FileChannel.open(file, CREATE_NEW, WRITE), group)) {
                assertInstanceOf(SyncedFileOutputStream.class, out);
            }
        } finally {
            if (old == null) {
                System.clearProperty(DirectFileOutput.PROPERTY);
            } else {
                System.setProperty(DirectFileOutput.PROPERTY, old);
            }
        }
        group.await();
    }
}
