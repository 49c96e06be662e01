package io.evkeygen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.EnvelopeFields;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.Envelopes;
import io.evkeygen.testutil.SealTestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, item 1: a MetadataKey is used only as the key of its own set, wherever it is used
 * ({@link MetadataCipher#fromFile} on a directory or a file, {@link KeySet#metadataKey},
 * {@link MetadataCipher#forKeySet}); what cannot be checked is read only on the explicit legacy path.
 */
class MetadataKeyBindingTest {
    private static final String META = KeyFileKind.METADATAKEY.fileName();

    @TempDir
    Path tmp;

    private Path generate(String parent, String id, KekProvider sealer) throws Exception {
        return KeyGenerator.builder().keyPath(Files.createDirectories(tmp.resolve(parent))).keyId(id).dims(32)
                .evalMode("mm").backend("java").threads(1).seal(sealer).build().generateKeys();
    }

    private static KeygenException invalid(Executable use, String... contains) {
        KeygenException e = assertThrows(KeygenException.class, use);
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind(), e.getMessage());
        for (String c : contains) {
            assertTrue(e.getMessage().contains(c), e.getMessage());
        }
        return e;
    }

    private static void plant(Path from, Path set) throws Exception {
        Files.copy(from.resolve(META), set.resolve(META), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void anotherSetsMetadataKeyIsRefusedWhereverItIsUsed() throws Exception {
        Path a = generate("a", "same", null);
        Path b = generate("b", "same", null);
        KeySet loaded = KeySet.load(a);
        try (MetadataCipher c = MetadataCipher.forKeySet(loaded)) {
            c.encrypt("fine");
        }
        plant(b, a);
        Path file = a.resolve(META);
        invalid(() -> MetadataCipher.fromFile(a, null), file.toString(), "belongs to another key set");
        invalid(() -> MetadataCipher.fromFile(file, null), file.toString(), "belongs to another key set");
        invalid(() -> MetadataCipher.fromUnauthenticatedLegacyFile(a, null, w -> { }), "belongs to another key set");
        // a set loaded before the swap reads the file again, and checks it again
        invalid(loaded::metadataKey, "belongs to another key set");
        invalid(() -> MetadataCipher.forKeySet(loaded), "belongs to another key set");
    }

    @Test
    void anUnsealedMetadataKeyBesideASealedSetIsRefusedEvenBoundToIt() throws Exception {
        try (KekProvider kek = KekProvider.aes(SealTestKeys.kek(1))) {
            Path a = generate("a", "s", kek);
            Path b = generate("b", "s", null);
            KeySet loaded = KeySet.load(a, kek);
            plant(b, a);
            invalid(() -> MetadataCipher.fromFile(a, kek), "belongs to another key set");
            // a forger can bind it to this set's (public) EncKey; it is still not sealed as the set is
            Envelopes.bindTo(a.resolve(META), Envelopes.envelope(a.resolve("EncKey.json"), KeyFileKind.ENCKEY).sha256());
            invalid(() -> MetadataCipher.fromFile(a, kek), "is not sealed but the set's SecKey.json is");
            invalid(() -> MetadataCipher.fromFile(a.resolve(META), kek), "is not sealed");
            invalid(() -> MetadataCipher.fromUnauthenticatedLegacyFile(a, kek, w -> { }), "is not sealed");
            invalid(loaded::metadataKey, "is not sealed");
        }
    }

    @Test
    void aMetadataKeyFileIsBoundByTheEncKeyBesideIt() throws Exception {
        Path a = generate("a", "k", null);
        try (MetadataCipher c = MetadataCipher.fromFile(a.resolve(META), null)) {
            c.encrypt("fine");
        }
        Path lone = Files.createDirectories(tmp.resolve("lone"));
        plant(a, lone);
        invalid(() -> MetadataCipher.fromFile(lone.resolve(META), null), "there is no EncKey.json beside it");
        invalid(() -> MetadataCipher.fromFile(lone, null), "there is no EncKey.json beside it");
        List<String> warnings = new ArrayList<>();
        try (MetadataCipher c = MetadataCipher.fromUnauthenticatedLegacyFile(lone.resolve(META), null, warnings::add)) {
            c.encrypt("explicitly unchecked");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("not checked against its key set"), warnings.get(0));
        Files.copy(a.resolve("EncKey.json"), lone.resolve("EncKey.json"));
        try (MetadataCipher c = MetadataCipher.fromFile(lone.resolve(META), null)) {
            c.encrypt("bound again");
        }
    }

    @Test
    void aLegacyLayoutPlantedInAKeyDirectoryIsReadOnlyOnTheLegacyPath() throws Exception {
        Path a = generate("a", "l", null);
        byte[] key = new byte[32];
        key[0] = 7;
        Files.writeString(a.resolve(META), "{\"created_at\":\"2024-01-01T00:00:00Z\",\"key_id\":\"l\",\"metadata_blob\":\""
                + Base64.getEncoder().encodeToString(key) + "\"}");
        invalid(() -> MetadataCipher.fromFile(a, null), "older pyenvector layout");
        invalid(() -> KeySet.load(a), "older pyenvector layout");
        List<String> warnings = new ArrayList<>();
        String token;
        try (MetadataCipher c = MetadataCipher.fromUnauthenticatedLegacyFile(a, null, warnings::add)) {
            token = c.encrypt("legacy");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        try (MetadataCipher c = MetadataCipher.of(key)) {
            assertEquals("legacy", c.decryptString(token), "the planted key was the one used");
        }
    }

    @Test
    void anUnboundEnvelopeIsReadOnlyOnTheLegacyPath() throws Exception {
        Path a = generate("a", "u", null);
        Envelopes.bindTo(a.resolve(META), null);
        invalid(() -> MetadataCipher.fromFile(a, null), "is not bound to its key set");
        List<String> warnings = new ArrayList<>();
        try (MetadataCipher c = MetadataCipher.fromUnauthenticatedLegacyFile(a, null, warnings::add)) {
            c.encrypt("unbound, explicitly");
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(EnvelopeFields.ENCKEY_BINDING), warnings.get(0));
    }

    /** Issue 20, item 3, on the metadata path: an expired MetadataKey (or EncKey) is refused as verify refuses it. */
    @Test
    void anExpiredMetadataKeyIsRefused() throws Exception {
        Path a = generate("a", "e", null);
        Instant yesterday = Instant.now().minus(EnvelopeFields.VALIDITY).minus(Duration.ofDays(1));
        KeySet loaded = KeySet.load(a);
        Envelopes.createdAt(a.resolve(META), KeyFileKind.METADATAKEY, yesterday);
        invalid(() -> MetadataCipher.fromFile(a, null), "expired on", META);
        invalid(() -> MetadataCipher.fromUnauthenticatedLegacyFile(a, null, w -> { }), "expired on");
        invalid(loaded::metadataKey, "expired on");
        try (SecretBytes sk = loaded.secretKey()) {
            assertEquals(1029, sk.length());
        }
    }
}
