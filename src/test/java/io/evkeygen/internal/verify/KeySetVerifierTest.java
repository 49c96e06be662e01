package io.evkeygen.internal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.seal.AesKekSeal;
import io.evkeygen.keyset.VerificationReport;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.Presets;
import io.evkeygen.testutil.SharedVectors;
import io.evkeygen.testutil.Tamper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verifier accepts the reference key sets and refuses damaged copies of them. */
class KeySetVerifierTest {
    static final byte[] VECTOR_KEK = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            VECTOR_KEK[i] = (byte) i;
        }
    }

    @Test
    void acceptsTheReferenceSets() throws Exception {
        VerificationReport rmp = KeySetVerifier.verify(SharedVectors.vector("ip0-rmp-1024"));
        assertEquals(EvalMode.RMP, rmp.evalMode());
        assertEquals(List.of(1024), rmp.dims());
        assertEquals(34, rmp.keysChecked());
        assertTrue(rmp.secretChecked());
        assertTrue(rmp.maxError() >= 11 && rmp.maxError() <= 16, "max |e| " + rmp.maxError());

        assertEquals(34, KeySetVerifier.verify(SharedVectors.vector("ip0-flat-32")).keysChecked());

        VerificationReport ip1 = KeySetVerifier.verify(SharedVectors.vector("ip1-rmp-1024"));
        assertEquals(Presets.byName("IP1"), ip1.parameters());
        assertEquals(34, ip1.keysChecked());
        assertTrue(ip1.maxError() >= 11 && ip1.maxError() <= 16, "IP1 max |e| " + ip1.maxError());
    }

    /** The sealed reference SecKey beside the unsealed set's public keys. */
    private static Path sealedSet(Path dir) throws Exception {
        Files.copy(SharedVectors.vector("ip0-rmp-1024-sealed").resolve("SecKey.json"), dir.resolve("SecKey.json"));
        Files.copy(SharedVectors.vector("ip0-rmp-1024").resolve("EncKey.json"), dir.resolve("EncKey.json"));
        Files.copy(SharedVectors.vector("ip0-rmp-1024").resolve("EvalKey.json"), dir.resolve("EvalKey.json"));
        return dir;
    }

    /**
     * The reference core writes no EvalKey.json for MM; a set without one is incomplete (it could
     * be an RMP set that lost it). With the one-byte placeholder the Python SDK writes, it verifies.
     */
    @Test
    void referenceMmSetNeedsTheEvalKeyPlaceholder(@TempDir Path tmp) throws Exception {
        Path ref = SharedVectors.vector("ip0-mm-1024");
        KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(ref));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("EvalKey.json"), e.getMessage());

        Path dir = Files.createDirectories(tmp.resolve("mm"));
        for (String f : List.of("SecKey.json", "EncKey.json")) {
            Files.copy(ref.resolve(f), dir.resolve(f));
        }
        io.evkeygen.internal.envelope.Envelope sec = io.evkeygen.internal.envelope.EnvelopeReader.read(
                Files.newInputStream(ref.resolve("SecKey.json")), io.evkeygen.keyset.KeyFileKind.SECKEY, null);
        io.evkeygen.internal.envelope.EnvelopeHeader h = sec.header();
        try (var out = Files.newOutputStream(dir.resolve("EvalKey.json"))) {
            io.evkeygen.internal.envelope.EnvelopeWriter.write(new io.evkeygen.internal.envelope.EnvelopeHeader(
                    io.evkeygen.keyset.KeyFileKind.EVALKEY, h.kid(), h.createdAt(), h.requester(), EvalMode.MM,
                    h.parameters(), null), io.evkeygen.internal.stream.BinSource.ofBytes(new byte[] {0}), out);
        }
        VerificationReport mm = KeySetVerifier.verify(dir);
        assertEquals(EvalMode.MM, mm.evalMode());
        assertEquals(1, mm.keysChecked());
    }

    @Test
    void sealedReferenceSecretUnsealsToTheUnsealedBytesAndVerifies(@TempDir Path tmp) throws Exception {
        byte[] sealed = SharedVectors.keyData("ip0-rmp-1024-sealed", "SecKey.json");
        assertEquals(1124, sealed.length);
        assertArrayEquals(SharedVectors.keyData("ip0-rmp-1024", "SecKey.json"),
                AesKekSeal.open(Presets.byName("ip0"), sealed, VECTOR_KEK));

        Path dir = sealedSet(tmp);
        VerificationReport withKek = KeySetVerifier.verify(dir, VECTOR_KEK);
        assertTrue(withKek.secretChecked());
        assertEquals(34, withKek.keysChecked());
        VerificationReport withoutKek = KeySetVerifier.verify(dir);
        assertFalse(withoutKek.secretChecked(), "without the KEK only layouts are checked");

        byte[] wrong = VECTOR_KEK.clone();
        wrong[0] ^= 1;
        KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir, wrong));
        assertEquals(KeygenException.Kind.UNSEAL, e.kind());
    }

    private static Path copyOf(String set, Path dir) throws Exception {
        try (var files = Files.list(SharedVectors.vector(set))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    @Test
    void refusesAFlippedKeyDataCharacterInEveryFile(@TempDir Path tmp) throws Exception {
        for (String file : new String[] {"SecKey.json", "EncKey.json", "EvalKey.json"}) {
            for (double where : new double[] {0.0, 0.37, 0.999}) {
                Path dir = copyOf("ip0-rmp-1024", Files.createTempDirectory(tmp, "set"));
                Tamper.flipKeyDataChar(dir.resolve(file), where);
                KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir),
                        file + " at " + where);
                assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
                assertTrue(e.getMessage().startsWith(file), e.getMessage());
            }
        }
    }

    @Test
    void refusesAWrongFileInPlaceOfAnother(@TempDir Path tmp) throws Exception {
        Path dir = copyOf("ip0-rmp-1024", tmp);
        Files.copy(dir.resolve("EncKey.json"), dir.resolve("SecKey.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir));
        assertTrue(e.getMessage().contains("seckey") && e.getMessage().contains("enckey"), e.getMessage());
    }

    @Test
    void refusesPublicKeysOfAnotherSecret(@TempDir Path tmp) throws Exception {
        // IP1's EncKey has another a: under the IP0 secret header it is refused for its parameters,
        // and a missing file is named
        Path dir = copyOf("ip0-rmp-1024", tmp);
        Files.copy(SharedVectors.vector("ip1-rmp-1024").resolve("EncKey.json"), dir.resolve("EncKey.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir)).getMessage()
                .contains("parameters differ"));
        Files.delete(dir.resolve("EncKey.json"));
        assertTrue(assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir)).getMessage()
                .contains("EncKey.json is missing"));
    }
}
