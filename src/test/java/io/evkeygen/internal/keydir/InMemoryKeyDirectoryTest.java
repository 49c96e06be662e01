package io.evkeygen.internal.keydir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.ops.Resealer;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.RecordStore;
import io.evkeygen.testutil.InMemoryFileSystems;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The local key directory on a Windows-configured (ACLs, no directory fsync, no rename onto an
 * existing directory) and a macOS-configured in-memory file system: generation and commit, the
 * record store and the reseal journal take their file system from the path given.
 */
class InMemoryKeyDirectoryTest {
    static Stream<Arguments> fileSystems() {
        return Stream.of(Arguments.of("windows", (Supplier<FileSystem>) InMemoryFileSystems::windows),
                Arguments.of("osX", (Supplier<FileSystem>) InMemoryFileSystems::osX));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void aKeySetIsGeneratedCommittedResealedAndVerified(String name, Supplier<FileSystem> config) throws Exception {
        try (FileSystem fs = config.get(); KekProvider first = KekProvider.aes(SealTestKeys.kek(1));
                KekProvider second = KekProvider.aes(SealTestKeys.kek(2))) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            Path dir = SealTestKeys.generate(work, "k1", first);
            assertEquals(fs, dir.getFileSystem());
            assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"), TestSupport.list(dir));
            assertEquals(List.of("k1"), TestSupport.list(work), "no staging directory left beside the target");
            for (KeyFileKind kind : KeyFileKind.values()) {
                if (kind.secret()) {
                    assertTrue(InMemoryFileSystems.ownerOnly(dir.resolve(kind.fileName())), kind.fileName());
                }
            }
            byte[] enc = Files.readAllBytes(dir.resolve("EncKey.json"));
            Resealer.reseal(dir, first, second);
            assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"), TestSupport.list(dir),
                    "no journal, no new file left");
            assertTrue(InMemoryFileSystems.ownerOnly(dir.resolve("SecKey.json")));
            assertTrue(InMemoryFileSystems.ownerOnly(dir.resolve("MetadataKey.json")));
            assertArrayEquals(enc, Files.readAllBytes(dir.resolve("EncKey.json")));
            assertTrue(KeySet.verify(dir, second).secretChecked());
            assertEquals(KeygenException.Kind.UNSEAL,
                    assertThrows(KeygenException.class, () -> KeySet.verify(dir, first)).kind());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void aResealFailingBetweenItsRenamesIsRolledBackFromTheJournal(String name, Supplier<FileSystem> config)
            throws Exception {
        try (FileSystem fs = config.get(); KekProvider first = KekProvider.aes(SealTestKeys.kek(1));
                KekProvider second = KekProvider.aes(SealTestKeys.kek(2))) {
            Path dir = SealTestKeys.generate(InMemoryFileSystems.workDirectory(fs), "k1", first);
            byte[] sec = Files.readAllBytes(dir.resolve("SecKey.json"));
            IOException e = assertThrows(IOException.class, () -> Resealer.reseal(dir, first, second, kind -> {
                if (kind == KeyFileKind.METADATAKEY) {
                    assertTrue(Files.isDirectory(dir.resolve(ResealJournal.JOURNAL)), "the journal is written");
                    throw new IOException("simulated failure between the two renames");
                }
            }));
            assertEquals("simulated failure between the two renames", e.getMessage());
            assertArrayEquals(sec, Files.readAllBytes(dir.resolve("SecKey.json")), "SecKey restored from the journal");
            assertTrue(InMemoryFileSystems.ownerOnly(dir.resolve("SecKey.json")));
            assertFalse(Files.exists(dir.resolve(ResealJournal.JOURNAL)));
            assertTrue(KeySet.verify(dir, first).secretChecked());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void anEmptyTargetIsReplacedAndAFullOneRefused(String name, Supplier<FileSystem> config) throws Exception {
        try (FileSystem fs = config.get()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            LocalKeyStore store = new LocalKeyStore(work);
            Files.createDirectory(work.resolve("empty"));
            store.save("empty", sink -> write(sink.open(KeyFileKind.SECKEY), "secret"));
            assertEquals("secret", Files.readString(work.resolve("empty").resolve("SecKey.json")));
            assertTrue(InMemoryFileSystems.ownerOnly(work.resolve("empty").resolve("SecKey.json")));

            Files.createDirectory(work.resolve("full"));
            Files.writeString(work.resolve("full").resolve("SecKey.json"), "original");
            KeygenException e = assertThrows(KeygenException.class,
                    () -> store.save("full", sink -> write(sink.open(KeyFileKind.SECKEY), "other")));
            assertEquals(KeygenException.Kind.TARGET_EXISTS, e.kind());
            assertEquals("original", Files.readString(work.resolve("full").resolve("SecKey.json")));
            assertEquals(List.of("empty", "full"), TestSupport.list(work), "no staging directory left");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileSystems")
    void theRecordStoreKeepsOwnerOnlyRecords(String name, Supplier<FileSystem> config) throws Exception {
        try (FileSystem fs = config.get()) {
            Path work = InMemoryFileSystems.workDirectory(fs);
            RecordStore records = new LocalKeyStore(work).records("kms");
            byte[] one = "one".getBytes(StandardCharsets.US_ASCII);
            assertTrue(records.create("k", one));
            assertFalse(records.create("k", one));
            String tag = records.read("k").orElseThrow().tag();
            assertTrue(records.replace("k", "two".getBytes(StandardCharsets.US_ASCII), tag));
            assertArrayEquals("two".getBytes(StandardCharsets.US_ASCII), records.read("k").orElseThrow().bytes());
            Path dir = work.resolve(".records").resolve("kms");
            assertTrue(InMemoryFileSystems.ownerOnly(dir));
            assertTrue(InMemoryFileSystems.ownerOnly(dir.resolve("k")));
            records.delete("k");
            assertEquals(Set.of(), records.ids());
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        try (out) {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
