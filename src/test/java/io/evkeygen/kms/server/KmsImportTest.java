package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.cli.Main;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.KeyFileType;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.secret.SecretBytes;
import io.evkeygen.server.internal.proto.CommonV2.ReturnCode;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 23 item 2, migration in: {@code kms import} into the store of a running server. */
class KmsImportTest {
    @TempDir
    static Path tmp;
    static KmsFixture kms;

    @BeforeAll
    static void start() throws Exception {
        kms = new KmsFixture(tmp.resolve("kms"), KmsFixture.plaintext());
    }

    @AfterAll
    static void stop() throws Exception {
        kms.close();
    }

    private static Path generate(String keyId, boolean metadata, KekProvider seal) throws Exception {
        KeyGenerator.Builder b = KeyGenerator.builder().keyPath(tmp.resolve("outside")).keyId(keyId).dims(32)
                .metadataEncryption(metadata);
        if (seal != null) {
            b.seal(seal);
        }
        try (KeyGenerator g = b.build()) {
            return g.generateKeys();
        }
    }

    private static byte[] secret(Path dir, KekProvider kek) throws Exception {
        try (SecretBytes s = KeySet.load(dir, kek).secretKey()) {
            return s.reveal().clone();
        }
    }

    @Test
    void anUnsealedSetIsVerifiedResealedUnderTheMasterKeyAndServedWithItsActor() throws Exception {
        Path source = generate("imp-1", true, null);
        byte[] sourceSec = Files.readAllBytes(source.resolve("SecKey.json"));
        KmsImport.importSet(source, "imp-1", null, KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC());
        Path stored = kms.keyPath.resolve("imp-1");
        assertTrue(KeySet.load(stored, kms.master).sealed(), "sealed in the store");
        assertArrayEquals(secret(source, null), secret(stored, kms.master), "the same secret key");
        assertArrayEquals(sourceSec, Files.readAllBytes(source.resolve("SecKey.json")), "the source is untouched");
        assertArrayEquals(Files.readAllBytes(source.resolve("EncKey.json")), Files.readAllBytes(stored.resolve("EncKey.json")));
        assertEquals(KeyGenStatus.KEY_GEN_STATUS_READY, kms.status("imp-1"));
        assertEquals("ops", kms.actor("imp-1"));
        assertArrayEquals(Files.readAllBytes(stored.resolve("EvalKey.json")),
                kms.downloadBytes("imp-1", KeyFileType.KEY_FILE_TYPE_EVAL_KEY));
        assertEquals(1, kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder()
                .setHeader(KmsFixture.header()).setKeyId("imp-1").addPlaintextMetadata("x").build())
                .getEncryptedMetadataCount());
        KeygenException again = assertThrows(KeygenException.class, () -> KmsImport.importSet(source, "imp-1", null,
                KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC()));
        assertEquals(KeygenException.Kind.TARGET_EXISTS, again.kind());
    }

    @Test
    void theKeyIdMustBeTheFilesKid() throws Exception {
        Path source = generate("imp-kid", true, null);
        KeygenException e = assertThrows(KeygenException.class, () -> KmsImport.importSet(source, "imp-other", null,
                KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC()));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("imp-kid"), e.getMessage());
        assertFalse(Files.exists(kms.keyPath.resolve("imp-other")));
    }

    @Test
    void aSealedSetNeedsItsKekAndATamperedSetIsRefused() throws Exception {
        byte[] own = SealTestKeys.kek(90);
        Path source;
        try (KekProvider p = KekProvider.aes(own)) {
            source = generate("imp-sealed", true, p);
        }
        KeygenException noKek = assertThrows(KeygenException.class, () -> KmsImport.importSet(source, "imp-sealed", null,
                KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC()));
        assertEquals(KeygenException.Kind.USAGE, noKek.kind());
        try (KekProvider p = KekProvider.aes(own)) {
            KmsImport.importSet(source, "imp-sealed", p, KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC());
            assertArrayEquals(secret(source, p), secret(kms.keyPath.resolve("imp-sealed"), kms.master));
        }
        Path tampered = generate("imp-bad", true, null);
        byte[] enc = Files.readAllBytes(tampered.resolve("EncKey.json"));
        enc[enc.length / 2] ^= 1;
        Files.write(tampered.resolve("EncKey.json"), enc);
        assertThrows(KeygenException.class, () -> KmsImport.importSet(tampered, "imp-bad", null,
                KeyStores.local(kms.keyPath), kms.master, "ops", Clock.systemUTC()));
        assertFalse(Files.exists(kms.keyPath.resolve("imp-bad")), "nothing saved");
    }

    @Test
    void theCommandImportsASetWithoutMetadataKeyWhileTheServerRuns() throws Exception {
        Path source = generate("imp-cli", false, null);
        Path kek = tmp.resolve("master.key");
        Files.write(kek, KmsFixture.MASTER);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"kms", "import", source.toString(), "--key_id", "imp-cli", "--key_path",
                kms.keyPath.toString(), "--seal_key_path", kek.toString(), "--actor", "migrator"},
                new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("imported imp-cli into "));
        assertEquals("migrator", kms.actor("imp-cli"));
        assertEquals(3, KmsServerTest.versions(kms, "imp-cli"));
        var r = kms.call(KmsRpcs.ENCRYPT_METADATA, EncryptMetadataRequest.newBuilder().setHeader(KmsFixture.header())
                .setKeyId("imp-cli").addPlaintextMetadata("x").build());
        assertEquals(ReturnCode.Fail, r.getHeader().getReturnCode());
        assertTrue(r.getHeader().getErrorMessage().contains("no MetadataKey"));
        // no master key: a usage error
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        int noMaster = Main.run(new String[] {"kms", "import", source.toString(), "--key_id", "imp-cli2", "--key_path",
                kms.keyPath.toString()}, new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err2, true, StandardCharsets.UTF_8));
        assertEquals(2, noMaster);
        assertTrue(err2.toString(StandardCharsets.UTF_8).startsWith("evkeygen: "), err2.toString(StandardCharsets.UTF_8));
        assertTrue(err2.toString(StandardCharsets.UTF_8).contains("master key"));
    }

    @Test
    void serveRefusesPlaintextOffLoopbackAndAMissingMasterKey() throws Exception {
        Path kek = tmp.resolve("master2.key");
        Files.write(kek, KmsFixture.MASTER);
        for (List<String> args : List.of(
                List.of("--listen", "0.0.0.0:0", "--plaintext", "--seal_key_path", kek.toString()),
                List.of("--listen", "127.0.0.1:0", "--plaintext"),
                List.of("--listen", "127.0.0.1:0", "--seal_key_path", kek.toString()),
                List.of("--listen", "127.0.0.1:99999", "--plaintext", "--seal_key_path", kek.toString()))) {
            List<String> all = new ArrayList<>(List.of("kms", "serve", "--tokens", kms.tokens.toString(),
                    "--key_path", tmp.resolve("unused").toString()));
            all.addAll(args);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, code, args + ": " + err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("evkeygen: "));
        }
    }
}
