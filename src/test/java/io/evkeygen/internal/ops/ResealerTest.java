package io.evkeygen.internal.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.TestSupport;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.verify.KeySetVerifier;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reseal: rotate, seal, unseal; all or nothing; public files untouched. */
class ResealerTest {
    static final byte[] OLD = SealTestKeys.kek(10);
    static final byte[] NEW = SealTestKeys.kek(50);

    @TempDir
    Path tmp;

    private Path sealedSet(String id) throws IOException {
        try (KekProvider p = KekProvider.aes(OLD)) {
            return SealTestKeys.generate(tmp, id, p);
        }
    }

    private static byte[] bytes(Path dir, String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }

    private static byte[][] secrets(Path dir, byte[] kek) throws IOException {
        try (KekProvider p = kek == null ? null : KekProvider.aes(kek)) {
            KeySet keys = KeySet.load(dir, p);
            try (SecretBytes sk = keys.secretKey(); SecretBytes mk = keys.metadataKey().orElseThrow()) {
                return new byte[][] {sk.reveal().clone(), mk.reveal().clone()};
            }
        }
    }

    private static void opensOnlyWith(Path dir, byte[] good, byte[] bad) throws IOException {
        try (KekProvider p = KekProvider.aes(good)) {
            assertTrue(KeySetVerifier.verify(dir, p).secretChecked());
        }
        try (KekProvider p = KekProvider.aes(bad)) {
            assertEquals(KeygenException.Kind.UNSEAL,
                    assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir, p)).kind());
        }
    }

    @Test
    void rotatesTheKekKeepingPublicFilesByteIdentical() throws Exception {
        Path dir = sealedSet("r");
        byte[] enc = bytes(dir, "EncKey.json");
        byte[] eval = bytes(dir, "EvalKey.json");
        byte[][] before = secrets(dir, OLD);
        try (KekProvider from = KekProvider.aes(OLD); KekProvider to = KekProvider.aes(NEW)) {
            Resealer.reseal(dir, from, to);
        }
        assertArrayEquals(enc, bytes(dir, "EncKey.json"));
        assertArrayEquals(eval, bytes(dir, "EvalKey.json"));
        opensOnlyWith(dir, NEW, OLD);
        byte[][] after = secrets(dir, NEW);
        assertArrayEquals(before[0], after[0]);
        assertArrayEquals(before[1], after[1]);
        assertEquals(List.of("EncKey.json", "EvalKey.json", "MetadataKey.json", "SecKey.json"),
                TestSupport.list(dir), "no journal, lock file or temporaries left");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("SecKey.json"))));
    }

    @Test
    void resealsOneEnvelopeInMemoryUnderANewKekKeepingEveryOtherField() throws Exception {
        Path dir = sealedSet("m");
        byte[][] before = secrets(dir, OLD);
        Path copy = Files.createDirectories(tmp.resolve("copy/m"));
        for (String name : List.of("EncKey.json", "EvalKey.json")) {
            Files.copy(dir.resolve(name), copy.resolve(name));
        }
        try (KekProvider from = KekProvider.aes(OLD); KekProvider to = KekProvider.aes(NEW)) {
            for (KeyFileKind kind : List.of(KeyFileKind.SECKEY, KeyFileKind.METADATAKEY)) {
                byte[] old = bytes(dir, kind.fileName());
                byte[] resealed = KeySet.resealEnvelope(old, kind, from, to);
                assertFalse(Arrays.equals(old, resealed));
                assertEquals(KeygenException.Kind.UNSEAL, assertThrows(KeygenException.class,
                        () -> KeySet.resealEnvelope(resealed, kind, from, to)).kind(), "the old KEK no longer opens it");
                assertEquals(KeygenException.Kind.USAGE, assertThrows(KeygenException.class,
                        () -> KeySet.resealEnvelope(old, kind, from, null)).kind(), "never unsealed in memory");
                Files.write(copy.resolve(kind.fileName()), resealed);
            }
        }
        opensOnlyWith(copy, NEW, OLD); // the fields kept: the set verifies, MetadataKey still bound to EncKey
        byte[][] after = secrets(copy, NEW);
        assertArrayEquals(before[0], after[0]);
        assertArrayEquals(before[1], after[1]);
    }

    @Test
    void sealsAnUnsealedSetAndUnsealsItAgain() throws Exception {
        Path dir = SealTestKeys.generate(tmp, "u", null);
        byte[][] plain = secrets(dir, null);
        byte[] unsealedSec = bytes(dir, "SecKey.json");
        try (KekProvider to = KekProvider.aes(NEW)) {
            Resealer.reseal(dir, null, to);
        }
        assertTrue(KeySetVerifier.verify(dir).sealed());
        opensOnlyWith(dir, NEW, OLD);
        try (KekProvider from = KekProvider.aes(NEW)) {
            Resealer.reseal(dir, from, null);
        }
        assertFalse(KeySetVerifier.verify(dir).sealed());
        assertArrayEquals(unsealedSec, bytes(dir, "SecKey.json"), "unsealing restores the original file");
        assertArrayEquals(plain[1], secrets(dir, null)[1]);
    }

    @Test
    void wrongOldKekChangesNothing() throws Exception {
        Path dir = sealedSet("x");
        byte[] sec = bytes(dir, "SecKey.json");
        try (KekProvider from = KekProvider.aes(NEW); KekProvider to = KekProvider.aes(OLD)) {
            assertEquals(KeygenException.Kind.UNSEAL,
                    assertThrows(KeygenException.class, () -> Resealer.reseal(dir, from, to)).kind());
        }
        assertArrayEquals(sec, bytes(dir, "SecKey.json"));
    }

    @Test
    void failureBetweenTheTwoRenamesLeavesTheOldLoadableState() throws Exception {
        Path dir = sealedSet("i");
        byte[] sec = bytes(dir, "SecKey.json");
        byte[] meta = bytes(dir, "MetadataKey.json");
        try (KekProvider from = KekProvider.aes(OLD); KekProvider to = KekProvider.aes(NEW)) {
            IOException e = assertThrows(IOException.class, () -> Resealer.reseal(dir, from, to, kind -> {
                if (kind == KeyFileKind.METADATAKEY) {
                    // SecKey.json already carries the new seal here
                    throw new IOException("simulated failure between the two renames");
                }
            }));
            assertTrue(e.getMessage().contains("simulated"));
        }
        assertArrayEquals(sec, bytes(dir, "SecKey.json"));
        assertArrayEquals(meta, bytes(dir, "MetadataKey.json"));
        opensOnlyWith(dir, OLD, NEW);
        assertFalse(Files.exists(dir.resolve(ResealJournal.JOURNAL)));
    }

    /** A crash (no in-process rollback) between the renames: the next load rolls back from the journal. */
    @Test
    void crashBetweenTheTwoRenamesIsRolledBackOnTheNextLoad() throws Exception {
        Path dir = sealedSet("c");
        byte[] sec = bytes(dir, "SecKey.json");
        byte[] meta = bytes(dir, "MetadataKey.json");
        Path crashed = tmp.resolve("crashed");
        try (KekProvider from = KekProvider.aes(OLD); KekProvider to = KekProvider.aes(NEW)) {
            assertThrows(IOException.class, () -> Resealer.reseal(dir, from, to, kind -> {
                if (kind == KeyFileKind.METADATAKEY) {
                    copyTree(dir, crashed); // the disk as a power cut would leave it
                    throw new IOException("crash");
                }
            }));
        }
        assertTrue(Files.isDirectory(crashed.resolve(ResealJournal.JOURNAL)));
        assertFalse(Arrays.equals(sec, bytes(crashed, "SecKey.json")), "SecKey was already replaced");
        try (KekProvider p = KekProvider.aes(OLD)) {
            KeySet.load(crashed, p); // recovers first
        }
        assertArrayEquals(sec, bytes(crashed, "SecKey.json"));
        assertArrayEquals(meta, bytes(crashed, "MetadataKey.json"));
        assertFalse(Files.exists(crashed.resolve(ResealJournal.JOURNAL)));
    }

    /** verify and inspect on a crashed reseal: nothing changes on disk, the state is reported and checked as rolled back. */
    @Test
    void verifyAndInspectNeverWriteAndReportAnInterruptedReseal() throws Exception {
        Path dir = sealedSet("v");
        Path crashed = tmp.resolve("crashed-v");
        try (KekProvider from = KekProvider.aes(OLD); KekProvider to = KekProvider.aes(NEW)) {
            assertThrows(IOException.class, () -> Resealer.reseal(dir, from, to, kind -> {
                if (kind == KeyFileKind.METADATAKEY) {
                    copyTree(dir, crashed);
                    throw new IOException("crash");
                }
            }));
        }
        java.util.Map<String, String> before = snapshot(crashed);
        try (KekProvider p = KekProvider.aes(OLD)) {
            io.evkeygen.keyset.VerificationReport r = KeySet.verify(crashed, p); // the old KEK: as rolled back
            assertTrue(r.resealInterrupted());
            assertTrue(r.secretChecked());
            io.evkeygen.keyset.InspectionReport i = KeySet.inspect(crashed, p);
            assertTrue(i.resealInterrupted());
            assertTrue(i.files().stream().filter(f -> f.sealed()).allMatch(f -> f.unsealedOk()));
        }
        assertEquals(before, snapshot(crashed), "verify and inspect wrote nothing");
        try (KekProvider p = KekProvider.aes(OLD)) {
            KeySet.load(crashed, p); // loading recovers
        }
        assertFalse(Files.exists(crashed.resolve(ResealJournal.JOURNAL)));
        try (KekProvider p = KekProvider.aes(OLD)) {
            assertFalse(KeySet.verify(crashed, p).resealInterrupted());
        }
    }

    /** Every path under {@code dir} with its size, modification time and content hash. */
    private static java.util.Map<String, String> snapshot(Path dir) throws Exception {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String v = Files.getLastModifiedTime(p).toString();
                if (Files.isRegularFile(p)) {
                    v += " " + java.util.HexFormat.of().formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
                }
                m.put(dir.relativize(p).toString(), v);
            }
        }
        return m;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
