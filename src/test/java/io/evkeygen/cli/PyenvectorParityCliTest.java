package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.KeySet;
import io.evkeygen.TestSupport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pyenvector-keygen 1.5's flags: --dim_list, --seal_mode aes_kek, the terminal KEK prompt, ip2/ip3 and mm32/mms refused. */
class PyenvectorParityCliTest {
    private static final String SEED = "5a".repeat(64);

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    private static Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin == null ? new byte[0] : stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertOneLine(Result r, int code, String... contains) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String c : contains) {
            assertTrue(r.err().contains(c), r.err());
        }
    }

    @Test
    void dimListIsAnAliasOfDim() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, run(null, "--dim_list", "32", "64", "--key_path", a.toString(), "--seed", SEED, "--threads", "2").code());
        assertEquals(0, run(null, "--dim", "32", "64", "--key_path", b.toString(), "--seed", SEED, "--threads", "2").code());
        assertEquals(List.of(32, 64), KeySet.load(a).dims());
        assertEquals(KeySet.load(b).dims(), KeySet.load(a).dims());
        // same seed, same secret key (the envelopes differ in kid and times)
        assertEquals(keyData(b.resolve("SecKey.json")), keyData(a.resolve("SecKey.json")));
    }

    private static String keyData(Path envelope) throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"key_data\":\"([^\"]+)\"").matcher(Files.readString(envelope));
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void unpublishedPresetsAndEvalModesAreUsageErrorsNamingWhatIsSupported() {
        for (String p : List.of("ip3", "IP2")) {
            assertOneLine(run(null, "--preset", p, "--key_path", tmp.toString()), 2, "not in any public enVector core",
                    "ip0 (default), ip1 or custom");
        }
        assertTrue(run(null, "--preset", "ip3").err().contains("pyenvector 1.5's default"));
        for (String m : List.of("mm32", "MMS", "mms32")) {
            assertOneLine(run(null, "--eval_mode", m, "--key_path", tmp.toString()), 2, "not in any public enVector core",
                    "rmp (default), flat or mm");
        }
        assertEquals(List.of(), TestSupport.listUnchecked(tmp), "nothing generated");
    }

    @Test
    void aesKekIsAnAliasOfAesInAnyCase() throws Exception {
        byte[] kek = new byte[32];
        for (int i = 0; i < 32; i++) {
            kek[i] = (byte) (i + 1);
        }
        Path kekFile = tmp.resolve("kek.bin");
        Files.write(kekFile, kek);
        Result r = run(null, "--dim", "32", "--key_path", tmp.resolve("k").toString(), "--seal_mode", "AES_KEK",
                "--seal_key_path", kekFile.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(0, run(null, "verify", tmp.resolve("k").toString(), "--seal_mode", "aes_kek", "--seal_key_path",
                kekFile.toString()).code());
        Result bad = run(null, "--dim", "32", "--key_path", tmp.resolve("x").toString(), "--seal_mode", "rsa");
        assertOneLine(bad, 2, "aes_kek means aes");
    }

    @Test
    void sealKeyStdinOnATerminalPromptsOnStderrWithoutEcho() throws Exception {
        byte[] kek = new byte[32];
        kek[0] = 7;
        KekOptions.Terminal saved = KekOptions.terminal;
        int[] reads = {0};
        KekOptions.terminal = new FakeTerminal(() -> {
            reads[0]++;
            return HexFormat.of().formatHex(kek).toCharArray();
        });
        try {
            Result r = run(null, "--dim", "32", "--key_path", tmp.resolve("t").toString(), "--seal_mode", "aes",
                    "--seal_key_stdin", "--threads", "2");
            assertEquals(0, r.code(), r.err());
            assertEquals(1, reads[0]);
            assertTrue(r.err().startsWith("Key-encryption key (64 hex characters"), r.err());
            assertFalse(r.err().contains(HexFormat.of().formatHex(kek)), "never echoed");
            assertFalse(r.out().contains("Key-encryption key"), "the prompt is on stderr");
        } finally {
            KekOptions.terminal = saved;
        }
        // the same key piped as raw bytes opens the set: the typed hex meant those 32 bytes
        assertEquals(0, run(kek, "verify", tmp.resolve("t").toString(), "--seal_key_stdin").code());
        assertEquals(6, run(new byte[32], "verify", tmp.resolve("t").toString(), "--seal_key_stdin").code());
    }

    @Test
    void decryptMetadataReadsALegacyMetadataKeyAndCtrValueOnlyWithTheirFlagsAndWarnings() throws Exception {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 9);
        Path file = tmp.resolve("MetadataKey.json");
        Files.writeString(file, "{\"created_at\":\"2024-01-01T00:00:00Z\",\"key_id\":\"old\",\"metadata_blob\":\""
                + java.util.Base64.getEncoder().encodeToString(key) + "\"}");
        byte[] iv = new byte[16];
        iv[15] = 1;
        javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/CTR/NoPadding");
        c.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(iv));
        byte[] ct = c.doFinal("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        byte[] raw = new byte[16 + ct.length];
        System.arraycopy(iv, 0, raw, 0, 16);
        System.arraycopy(ct, 0, raw, 16, ct.length);
        byte[] value = java.util.Base64.getEncoder().encode(raw);
        Result plain = run(value, "decrypt-metadata", file.toString());
        assertOneLine(plain, 4, "older pyenvector layout", "--legacy_metadata_key");
        assertEquals("", plain.out());
        Result keyOnly = run(value, "decrypt-metadata", file.toString(), "--legacy-metadata-key");
        assertEquals(2, keyOnly.code(), keyOnly.err()); // as AES-GCM, 23 bytes are too short: never tried as CTR
        assertTrue(keyOnly.err().contains("too short"), keyOnly.err());
        assertEquals("", keyOnly.out());
        Result r = run(value, "decrypt-metadata", file.toString(), "--legacy_metadata_key", "--legacy_unauthenticated_ctr");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"a\":1}", r.out());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.stream().allMatch(l -> l.startsWith("evkeygen: warning: ")), r.err());
        assertTrue(lines.get(0).contains("older pyenvector layout"), r.err());
        assertTrue(lines.get(1).contains("deprecated AES-256-CTR") && lines.get(1).contains("unauthenticated"), r.err());
    }
}
