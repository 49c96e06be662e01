package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.MetadataCipher;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.Envelopes;
import io.evkeygen.testutil.MetadataForgery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seal options of the CLI, in-process with the real engine (MM, dim 32) and a custom stdin. */
class SealCliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err, byte[] rawOut) {
    }

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    private static byte[] kek(int first) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (first + i);
        }
        return k;
    }

    private Path kekFile(String name, byte[] kek) throws Exception {
        return Files.write(tmp.resolve(name), kek);
    }

    private String[] gen(String id, String... more) {
        String[] base = {"--key_path", tmp.resolve("keys").toString(), "--key_id", id, "--dim", "32", "--eval_mode", "mm",
                "--threads", "2"};
        return concat(base, more);
    }

    private static void oneLineError(Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    @Test
    void sealedGenerationThenVerifyWithAndWithoutTheKek() throws Exception {
        Path kek = kekFile("kek.bin", kek(1));
        Result g = run(null, gen("a", "--seal_mode", "aes", "--seal_key_path", kek.toString()));
        assertEquals(0, g.code(), g.err());
        Path dir = tmp.resolve("keys/a");
        assertTrue(Files.readString(dir.resolve("SecKey.json")).contains("\"alg\":\"AES-KEK\""));

        Result with = run(null, "verify", dir.toString(), "--seal_key_path", kek.toString(), "--json");
        assertEquals(0, with.code(), with.err());
        var json = new ObjectMapper().readTree(with.out());
        assertTrue(json.get("sealed").asBoolean());
        assertTrue(json.get("secret_checked").asBoolean());

        Result without = run(null, "verify", dir.toString());
        assertEquals(0, without.code(), without.err());
        assertTrue(without.out().contains("sealed: no KEK given"), without.out());

        Result wrong = run(null, "verify", dir.toString(), "--seal_key_path", kekFile("wrong.bin", kek(2)).toString());
        oneLineError(wrong, 6, "cannot unseal");

        Result inspect = run(null, "inspect", dir.toString(), "--seal_key_path", kek.toString(), "--json");
        assertEquals(0, inspect.code(), inspect.err());
        assertTrue(inspect.out().contains("\"unsealed_ok\":true"), inspect.out());
    }

    @Test
    void stdinKek() throws Exception {
        byte[] longer = new byte[40];
        System.arraycopy(kek(9), 0, longer, 0, 32);
        Result g = run(longer, gen("s", "--seal_mode", "aes", "--seal_key_stdin"));
        assertEquals(0, g.code(), g.err());
        assertTrue(g.err().contains("warning") && g.err().contains("first 32"), g.err());
        Result v = run(kek(9), "verify", tmp.resolve("keys/s").toString(), "--seal_key_stdin", "--json");
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("\"secret_checked\":true"), v.out());

        oneLineError(run(new byte[31], gen("short", "--seal_mode", "aes", "--seal_key_stdin")), 2, "must be 32 bytes");
        assertFalse(Files.exists(tmp.resolve("keys/short")));
    }

    @Test
    void sealOptionUsageErrors() throws Exception {
        Path kek = kekFile("kek.bin", kek(1));
        oneLineError(run(null, gen("u1", "--seal_mode", "aes")), 2, "needs --seal_key_path");
        oneLineError(run(null, gen("u2", "--seal_key_path", kek.toString())), 2, "need --seal_mode");
        oneLineError(run(null, gen("u3", "--seal_mode", "aws-kms")), 2, "--kms_key_id");
        oneLineError(run(null, gen("u4", "--seal_mode", "rot13")), 2, "none, aes, aws-kms or vault-transit");
        oneLineError(run(null, gen("u5", "--seal_mode", "aes", "--seal_key_path", kek.toString(), "--seal_key_stdin")),
                2, "not both");
    }

    @Test
    void resealRotatesTheKek() throws Exception {
        Path oldKek = kekFile("old.bin", kek(1));
        Path newKek = kekFile("new.bin", kek(100));
        assertEquals(0, run(null, gen("r", "--seal_mode", "aes", "--seal_key_path", oldKek.toString())).code());
        Path dir = tmp.resolve("keys/r");
        byte[] eval = Files.readAllBytes(dir.resolve("EvalKey.json"));
        Result r = run(null, "reseal", dir.toString(), "--seal_key_path", oldKek.toString(),
                "--new_seal_key_path", newKek.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(eval, Files.readAllBytes(dir.resolve("EvalKey.json")));
        assertEquals(0, run(null, "verify", dir.toString(), "--seal_key_path", newKek.toString()).code());
        oneLineError(run(null, "verify", dir.toString(), "--seal_key_path", oldKek.toString()), 6, "cannot unseal");
        // new KEK from stdin, then unseal
        Result s = run(kek(7), "reseal", dir.toString(), "--seal_key_path", newKek.toString(), "--new_seal_key_stdin");
        assertEquals(0, s.code(), s.err());
        oneLineError(run(kek(7), "reseal", dir.toString(), "--seal_key_stdin", "--new_seal_key_stdin"), 2, "stdin");
        assertEquals(0, run(kek(7), "reseal", dir.toString(), "--seal_key_stdin", "--to", "none").code());
        Result v = run(null, "verify", dir.toString(), "--json");
        assertTrue(v.out().contains("\"sealed\":false") && v.out().contains("\"secret_checked\":true"), v.out());
        oneLineError(run(null, "reseal", dir.toString()), 2, "--to none");
    }

    @Test
    void encryptAndDecryptMetadata() throws Exception {
        Path kek = kekFile("kek.bin", kek(1));
        assertEquals(0, run(null, gen("m", "--seal_mode", "aes", "--seal_key_path", kek.toString())).code());
        Path dir = tmp.resolve("keys/m");
        byte[] doc = "{\"title\":\"quarterly report\"}".getBytes(StandardCharsets.UTF_8);
        Result e = run(doc, "encrypt-metadata", dir.toString(), "--seal_key_path", kek.toString());
        assertEquals(0, e.code(), e.err());
        String token = e.out().strip();
        assertFalse(token.contains("quarterly"));
        Result d = run(token.getBytes(StandardCharsets.US_ASCII), "decrypt-metadata",
                dir.resolve("MetadataKey.json").toString(), "--seal_key_path", kek.toString());
        assertEquals(0, d.code(), d.err());
        assertArrayEquals(doc, d.rawOut());
        oneLineError(run(token.getBytes(StandardCharsets.US_ASCII), "decrypt-metadata", dir.toString()), 6, "sealed");
        oneLineError(run(doc, "encrypt-metadata", dir.toString(), "--seal_key_stdin"), 2, "stdin");

        // a value in the Python layout, made with the JDK cipher and the (unsealed) metadata key
        byte[] iv = new byte[12];
        iv[0] = 42;
        byte[] key;
        try (KekProvider p = KekProvider.aes(kek(1))) {
            key = io.evkeygen.internal.seal.SecretFiles.read(dir.resolve("MetadataKey.json"),
                    io.evkeygen.keyset.KeyFileKind.METADATAKEY, p).plain();
        }
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, iv));
        c.updateAAD("doc-7".getBytes(StandardCharsets.UTF_8));
        byte[] ctTag = c.doFinal(doc);
        byte[] layout = new byte[28 + doc.length];
        System.arraycopy(iv, 0, layout, 0, 12);
        System.arraycopy(ctTag, doc.length, layout, 12, 16);
        System.arraycopy(ctTag, 0, layout, 28, doc.length);
        Result py = run(Base64.getEncoder().encode(layout), "decrypt-metadata", dir.toString(),
                "--seal_key_path", kek.toString(), "--aad", "doc-7");
        assertEquals(0, py.code(), py.err());
        assertArrayEquals(doc, py.rawOut());
        try (MetadataCipher mc = MetadataCipher.of(key)) {
            assertArrayEquals(doc, mc.decrypt(Base64.getEncoder().encodeToString(layout), "doc-7".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Issue 20, item 1: a CTR value forged from one GCM value of known plaintext is exit 6 with nothing
     * printed; only --legacy_unauthenticated_ctr decrypts it, with a warning.
     */
    @Test
    void aForgedMetadataValueIsRefusedUnlessTheUnauthenticatedCtrFlagAsksForIt() throws Exception {
        assertEquals(0, run(null, gen("f")).code());
        Path dir = tmp.resolve("keys/f");
        byte[] known = "{\"title\":\"quarterly report, public\"}".getBytes(StandardCharsets.UTF_8);
        byte[] chosen = "{\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8);
        Result e = run(known, "encrypt-metadata", dir.toString());
        assertEquals(0, e.code(), e.err());
        byte[] forged = MetadataForgery.ctrFromGcm(e.out().strip(), known, chosen).getBytes(StandardCharsets.US_ASCII);
        Result refused = run(forged, "decrypt-metadata", dir.toString());
        oneLineError(refused, 6, "cannot decrypt metadata");
        assertEquals(0, refused.rawOut().length);
        assertFalse(refused.err().contains("admin"), refused.err());

        Result opted = run(forged, "decrypt-metadata", dir.toString(), "--legacy_unauthenticated_ctr");
        assertEquals(0, opted.code(), opted.err());
        assertArrayEquals(chosen, opted.rawOut());
        assertEquals(1, opted.err().strip().lines().count(), opted.err());
        assertTrue(opted.err().startsWith("evkeygen: warning: ") && opted.err().contains("unauthenticated"), opted.err());
        oneLineError(run(forged, "decrypt-metadata", dir.toString(), "--legacy-unauthenticated-ctr", "--aad", "x"),
                2, "--aad");
    }

    /**
     * Issue 20, item 1: encrypt-metadata and decrypt-metadata refuse another set's MetadataKey.json (exit
     * 4, naming it), here an unsealed one planted beside a sealed set, even rebound to its EncKey.
     */
    @Test
    void metadataCommandsRefuseAMetadataKeyThatIsNotTheSets() throws Exception {
        Path kek = kekFile("kek.bin", kek(1));
        assertEquals(0, run(null, gen("s", "--seal_mode", "aes", "--seal_key_path", kek.toString())).code());
        Path dir = tmp.resolve("keys/s");
        Result token = run("{}".getBytes(StandardCharsets.UTF_8), "encrypt-metadata", dir.toString(),
                "--seal_key_path", kek.toString());
        assertEquals(0, token.code(), token.err());
        String[] other = {"--key_path", tmp.resolve("other").toString(), "--key_id", "s", "--dim", "32", "--eval_mode",
                "mm", "--threads", "2"};
        assertEquals(0, run(null, other).code());
        Path meta = dir.resolve("MetadataKey.json");
        Files.copy(tmp.resolve("other/s/MetadataKey.json"), meta, StandardCopyOption.REPLACE_EXISTING);
        for (String[] flags : new String[][] {{}, {"--legacy_metadata_key"}}) {
            for (String command : new String[] {"encrypt-metadata", "decrypt-metadata"}) {
                String[] args = concat(new String[] {command, dir.toString(), "--seal_key_path", kek.toString()}, flags);
                Result r = run(token.out().getBytes(StandardCharsets.US_ASCII), args);
                oneLineError(r, 4, meta + " belongs to another key set");
                assertEquals(0, r.rawOut().length);
            }
        }
        Envelopes.bindTo(meta, Envelopes.envelope(dir.resolve("EncKey.json"), KeyFileKind.ENCKEY).sha256());
        oneLineError(run("{}".getBytes(StandardCharsets.UTF_8), "encrypt-metadata", meta.toString(),
                "--seal_key_path", kek.toString()), 4, "is not sealed but the set's SecKey.json is");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
