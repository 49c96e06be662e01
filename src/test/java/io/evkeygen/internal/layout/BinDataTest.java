package io.evkeygen.internal.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.testutil.InMemoryFileSystems;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The verifier's scratch file has no name from the start: a kill -9 cannot leave it behind. */
class BinDataTest {
    @Test
    void anonymousScratchFileIsUnlinkedButUsable() throws Exception {
        String prefix = "evkeygen-bindatatest-" + ProcessHandle.current().pid() + "-";
        try (FileChannel ch = BinData.anonymousFile(prefix)) {
            assertEquals(0, named(prefix), "no name in the temp directory while in use");
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
            try (BinData data = BinData.of(ch)) {
                assertEquals(9, data.length());
                assertEquals(0x0908070605040302L, data.readU64(1));
            }
            assertTrue(!ch.isOpen(), "closing the BinData releases the space");
        }
    }

    @Test
    void onWindowsTheSpillIsMadeWithoutPosixModesAndHasNoName() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.windows()) {
            Path tmp = InMemoryFileSystems.workDirectory(fs);
            try (FileChannel ch = BinData.anonymousFile(tmp, "spill-"); Stream<Path> s = Files.list(tmp)) {
                assertEquals(0, s.count(), "no name while in use");
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
                assertEquals(0x0807060504030201L, BinData.of(ch).readU64(0));
            }
        }
    }

    @Test
    void onMacOsTheSpillHasNoNameFromTheStart() throws Exception {
        try (FileSystem fs = InMemoryFileSystems.osX()) {
            Path tmp = InMemoryFileSystems.workDirectory(fs);
            try (FileChannel ch = BinData.anonymousFile(tmp, "spill-"); Stream<Path> s = Files.list(tmp)) {
                assertEquals(0, s.count());
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
                assertEquals(8, ch.size());
            }
        }
    }

    private static long named(String prefix) throws Exception {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
