package io.evkeygen.internal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeFields;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.envelope.EnvelopeWriter;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.SealFields;
import io.evkeygen.testutil.Envelopes;
import io.evkeygen.testutil.SealTestKeys;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, classes 1 and 5 and expiry: what makes a set complete, bound together and current. */
class SetIntegrityTest {
    @TempDir
    Path tmp;

    private Path generate(String id, String mode) throws Exception {
        return KeyGenerator.builder().keyPath(tmp).keyId(id).dims(32).evalMode(mode).backend("java").threads(1)
                .build().generateKeys();
    }

    private static KeygenException invalid(Path dir) {
        return invalid(() -> KeySetVerifier.verify(dir));
    }

    private static KeygenException invalid(Executable verify) {
        KeygenException e = assertThrows(KeygenException.class, verify);
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void anRmpSetWithoutItsEvalKeyIsIncomplete() throws Exception {
        Path dir = generate("rmp", "rmp");
        KeySetVerifier.verify(dir);
        Files.move(dir.resolve("EvalKey.json"), dir.resolve("evalkey.json"));
        assertTrue(invalid(dir).getMessage().contains("incomplete"));
        Files.delete(dir.resolve("evalkey.json"));
        assertTrue(invalid(dir).getMessage().contains("EvalKey.json is missing"));
    }

    @Test
    void anMmSetCarriesThePlaceholderAndVerifies() throws Exception {
        Path dir = generate("mm", "mm");
        assertTrue(Files.isRegularFile(dir.resolve("EvalKey.json")));
        assertEquals(1, KeySetVerifier.verify(dir).keysChecked());
        Files.delete(dir.resolve("EvalKey.json"));
        assertTrue(invalid(dir).getMessage().contains("incomplete"));
    }

    @Test
    void aMetadataKeyFromAnotherSetWithTheSameIdIsRefused() throws Exception {
        Path a = generate("same", "mm");
        Path other = Files.createDirectories(tmp.resolve("elsewhere"));
        Path b = KeyGenerator.builder().keyPath(other).keyId("same").dims(32).evalMode("mm").backend("java")
                .build().generateKeys();
        Files.copy(b.resolve("MetadataKey.json"), a.resolve("MetadataKey.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertTrue(invalid(a).getMessage().contains("belongs to another key set"), invalid(a).getMessage());
    }

    @Test
    void aSealedSetIsCheckedWithoutItsKek() throws Exception {
        Path dir = SealTestKeys.generate(tmp, "sealed", KekProvider.aes(SealTestKeys.kek(1)));
        assertTrue(KeySetVerifier.verify(dir).sealed());
        // rewrite SecKey.json canonically with another IV in the envelope: hash and aad stay right
        Path sec = dir.resolve("SecKey.json");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Envelope env;
        try (InputStream in = Files.newInputStream(sec)) {
            env = EnvelopeReader.read(in, KeyFileKind.SECKEY, data);
        }
        SealFields s = env.header().seal();
        byte[] iv = s.iv().clone();
        iv[0] ^= 1;
        EnvelopeHeader h = env.header().withSeal(new SealFields(s.alg(), iv, s.tag()));
        try (OutputStream out = Files.newOutputStream(sec)) {
            EnvelopeWriter.write(h, BinSource.ofBytes(data.toByteArray()), out);
        }
        assertTrue(invalid(dir).getMessage().contains("iv or tag"), invalid(dir).getMessage());
    }

    @Test
    void anExpiredSetIsRefusedAndACurrentOneReportsItsExpiry() throws Exception {
        Path dir = generate("old", "mm");
        Instant expires = KeySetVerifier.verify(dir).expiresAt();
        assertTrue(expires.isAfter(Instant.now().plus(Duration.ofDays(1820))), expires.toString());
        Clock later = Clock.fixed(expires.plusSeconds(1), ZoneOffset.UTC);
        KeygenException e = assertThrows(KeygenException.class, () -> KeySetVerifier.verify(dir, null, later));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(e.getMessage().contains("expired on " + expires), e.getMessage());
    }

    /**
     * Issue 20, item 3: an EncKey, EvalKey or MetadataKey that expired yesterday, rewritten with aad and
     * hash recomputed (a consistent file), fails verify and load, though SecKey.json is current.
     */
    @Test
    void everyFilesExpiryIsChecked() throws Exception {
        Path dir = generate("each", "mm");
        Instant yesterday = Instant.now().minus(EnvelopeFields.VALIDITY).minus(Duration.ofDays(1));
        for (KeyFileKind kind : List.of(KeyFileKind.ENCKEY, KeyFileKind.EVALKEY, KeyFileKind.METADATAKEY)) {
            Path file = dir.resolve(kind.fileName());
            byte[] original = Files.readAllBytes(file);
            Envelopes.createdAt(file, kind, yesterday);
            KeygenException e = invalid(dir);
            assertTrue(e.getMessage().contains("expired on " + EnvelopeFields.expiresAt(yesterday))
                    && e.getMessage().contains(kind.fileName()), e.getMessage());
            assertEquals(KeygenException.Kind.INVALID_KEY, assertThrows(KeygenException.class,
                    () -> KeySet.load(dir)).kind());
            Files.write(file, original);
        }
        KeySetVerifier.verify(dir);
    }

    @Test
    void theReportedExpiryIsTheEarliestFilesAndTheSetExpiresWithIt() throws Exception {
        Path dir = generate("earliest", "mm");
        Instant sec = KeySetVerifier.verify(dir).expiresAt();
        Path enc = dir.resolve(KeyFileKind.ENCKEY.fileName());
        Instant created = Envelopes.header(enc, KeyFileKind.ENCKEY).createdAt().minus(Duration.ofDays(3));
        Envelopes.createdAt(enc, KeyFileKind.ENCKEY, created);
        Instant earliest = KeySetVerifier.verify(dir).expiresAt();
        assertEquals(EnvelopeFields.expiresAt(created), earliest);
        assertTrue(earliest.isBefore(sec));
        Clock between = Clock.fixed(earliest.plusSeconds(1), ZoneOffset.UTC);
        assertTrue(invalid(() -> KeySetVerifier.verify(dir, null, between)).getMessage().contains("EncKey.json"));
    }

    /** SecKey and MetadataKey are sealed together: an unsealed one bound to a sealed set's EncKey is not its own. */
    @Test
    void anUnsealedMetadataKeyInASealedSetIsRefused() throws Exception {
        Path sealed = SealTestKeys.generate(tmp, "mixed", KekProvider.aes(SealTestKeys.kek(1)));
        Path plain = KeyGenerator.builder().keyPath(Files.createDirectories(tmp.resolve("plain"))).keyId("mixed")
                .dims(32).evalMode("mm").backend("java").threads(1).build().generateKeys();
        Path meta = sealed.resolve(KeyFileKind.METADATAKEY.fileName());
        Files.copy(plain.resolve(KeyFileKind.METADATAKEY.fileName()), meta, StandardCopyOption.REPLACE_EXISTING);
        Envelopes.bindTo(meta, Envelopes.envelope(sealed.resolve("EncKey.json"), KeyFileKind.ENCKEY).sha256());
        assertTrue(invalid(sealed).getMessage().contains("is not sealed but the set's SecKey.json is"),
                invalid(sealed).getMessage());
    }
}
