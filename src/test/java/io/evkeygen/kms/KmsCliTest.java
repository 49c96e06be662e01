package io.evkeygen.kms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.cli.Main;
import io.evkeygen.kms.internal.proto.KmsV2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evkeygen kms <client subcommand>} in process against {@link FakeEnvectorKms}: exit codes
 * (0, 2 usage, 3 target exists, 4 not a key file, 7 KMS), the --json shapes, one escaped error
 * line naming the RPC and the return code, and what reaches the KMS.
 */
class KmsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeEnvectorKms kms;
    private Path set;

    /** One run: exit code, stdout, stderr. */
    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        kms = FakeEnvectorKms.plaintext();
        set = Files.createDirectory(tmp.resolve("set"));
        Files.writeString(set.resolve("EncKey.json"), "{\"kid\":\"k\",\"key_data\":\"AAEC\"}\n");
        Files.writeString(set.resolve("EvalKey.json"), "{\"kid\":\"k\",\"key_data\":\"" + "QUJD".repeat(600) + "\"}");
        kms.preload("k", set);
    }

    @AfterEach
    void stop() throws Exception {
        kms.close();
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("kms"));
        all.addAll(List.of(args));
        if (!all.contains("--kms_address")) {
            all.addAll(List.of("--kms_address", kms.address(), "--insecure"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void statusAndDetailsPrintTextOrJson() throws Exception {
        assertEquals(new Run(0, "k: READY\n", ""), run("status", "--key_id", "k"));
        JsonNode s = JSON.readTree(run("status", "--key_id", "k", "--json").out());
        assertEquals("{\"key_id\":\"k\",\"status\":\"READY\"}", s.toString());

        Run d = run("details", "--key_id", "k", "--json");
        assertEquals(0, d.code(), d.err());
        JsonNode v = JSON.readTree(d.out());
        assertEquals("k", v.get("key_id").asText());
        assertEquals(4, v.get("versions").size());
        assertEquals("{\"version\":1,\"state\":\"ACTIVE\",\"key_type\":\"SECRET_KEY\",\"created_at\":"
                + "\"2026-12-06T10:00:00Z\",\"updated_at\":\"2026-12-06T10:00:01Z\",\"actor\":\"tester\"}",
                v.get("versions").get(0).toString());
        Run text = run("details", "--key_id", "k");
        assertTrue(text.out().startsWith("SECRET_KEY  v1  ACTIVE  2026-12-06T10:00:00Z"), text.out());
    }

    @Test
    void generateSendsOnlyTheFlagsGivenAndCanWait() throws Exception {
        Path seed = tmp.resolve("seed");
        Files.write(seed, new byte[64]);
        Run r = run("generate", "--key_id", "new", "--preset", "IP1", "--eval_mode", "MM",
                "--metadata_encryption", "false", "--seed_file", seed.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"key_id\":\"new\",\"version\":1,\"status\":\"PENDING\"}", JSON.readTree(r.out()).toString());
        KmsV2.GenerateKeyRequest q = kms.requests(KmsV2.GenerateKeyRequest.class).get(0);
        assertEquals("IP1", q.getPreset());
        assertEquals("MM", q.getEvalMode());
        assertFalse(q.getMetadataEncryptionEnabled());
        assertEquals(64, q.getSeed().size());

        Run waited = run("generate", "--key_id", "other", "--wait");
        assertEquals(new Run(0, "other: READY\n", ""), waited);
        KmsV2.GenerateKeyRequest plain = kms.requests(KmsV2.GenerateKeyRequest.class).get(1);
        assertFalse(plain.hasPreset() || plain.hasEvalMode() || plain.hasMetadataEncryptionEnabled());
        assertEquals(List.of(), kms.violations);

        Files.write(seed, new byte[10]);
        Run badSeed = run("generate", "--key_id", "x", "--seed_file", seed.toString());
        assertEquals(2, badSeed.code());
    }

    @Test
    void downloadWritesAFileAtomicallyOrStdoutAndRefusesAnExistingFile() throws Exception {
        Path out = tmp.resolve("EvalKey.json");
        kms.chunkSize = 1000;
        Run r = run("download", "--key_id", "k", "--file", "eval", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(set.resolve("EvalKey.json")), Files.readAllBytes(out));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".part")).count());
        }
        Run again = run("download", "--key_id", "k", "--file", "eval", "--out", out.toString());
        assertEquals(3, again.code());

        Run stdout = run("download", "--key_id", "k", "--file", "enc");
        assertEquals(0, stdout.code(), stdout.err());
        assertEquals(Files.readString(set.resolve("EncKey.json")), stdout.out());

        Files.write(set.resolve("EncKey.json"), new byte[] {'{', (byte) 0xff, '}'});
        Run binary = run("download", "--key_id", "k", "--file", "enc");
        assertEquals(4, binary.code(), binary.err());

        kms.omitEof = true;
        Path partial = tmp.resolve("partial.json");
        Run noEof = run("download", "--key_id", "k", "--file", "eval", "--out", partial.toString());
        assertEquals(7, noEof.code());
        assertFalse(Files.exists(partial), "an incomplete download leaves no file");
        assertEquals(2, run("download", "--key_id", "k", "--file", "sec").code());
    }

    @Test
    void transitionsAndDeleteReachTheKms() {
        assertEquals(new Run(0, "Key k: suspended\n", ""), run("suspend", "--key_id", "k", "--reason", "audit"));
        assertEquals(0, run("resume", "--key_id", "k").code());
        assertEquals(0, run("rotate", "--key_id", "k", "--reason", "yearly").code());
        assertEquals(0, run("destroy", "--key_id", "k", "--reason", "retired").code());
        assertEquals(List.of("KEY_STATE_SUSPENDED audit", "KEY_STATE_ACTIVE ", "KEY_STATE_ROTATING yearly",
                "KEY_STATE_DESTROYED retired"), kms.keys.get("k").transitions);
        assertEquals(new Run(0, "Deleted k from the KMS\n", ""), run("delete", "--key_id", "k", "--reason", "gone"));
        assertFalse(kms.keys.containsKey("k"));
    }

    @Test
    void metadataRoundTripsAsBase64() throws Exception {
        Run enc = run("encrypt-metadata", "--key_id", "k", "alpha", "{\"b\":2}");
        assertEquals(0, enc.code(), enc.err());
        String[] lines = enc.out().split("\n");
        assertEquals(2, lines.length);
        assertEquals(12 + 16 + 5, Base64.getDecoder().decode(lines[0]).length);
        Run dec = run("decrypt-metadata", "--key_id", "k", lines[0], lines[1], "--json");
        assertEquals("[\"alpha\",\"{\\\"b\\\":2}\"]", JSON.readTree(dec.out()).toString());
        JsonNode encJson = JSON.readTree(run("encrypt-metadata", "--key_id", "k", "x", "--json").out());
        assertTrue(encJson.isArray() && encJson.size() == 1);

        Run control = run("decrypt-metadata", "--key_id", "k",
                run("encrypt-metadata", "--key_id", "k", "a\u001b[2Jb").out().strip());
        assertFalse(control.out().contains("\u001b"), "a decrypted value is escaped on a terminal");
        assertEquals(2, run("decrypt-metadata", "--key_id", "k", "not*base64").code());
    }

    @Test
    void aKmsErrorExits7WithOneEscapedLineNamingTheRpcAndTheCode() {
        kms.failNext("GetKeyStatus", 5, "no key\n\u001b[31mx");
        Run r = run("status", "--key_id", "x");
        assertEquals(7, r.code());
        assertEquals("", r.out());
        String line = r.err().strip();
        assertFalse(line.contains("\n") || line.contains("\u001b"), line);
        assertTrue(line.startsWith("evkeygen: KMS GetKeyStatus failed (return_code=5 NotFoundError): no key"), line);

        kms.failNext("TransitionState", 4, "key k is destroyed");
        Run t = run("rotate", "--key_id", "k");
        assertEquals(7, t.code());
        assertEquals("evkeygen: KMS TransitionState failed (return_code=4 InvalidInput): key k is destroyed",
                t.err().strip());
    }

    @Test
    void usageErrorsExit2() {
        assertEquals(2, run("status", "--key_id", "k", "--kms_address", "10.9.8.7:443", "--insecure").code());
        assertEquals(2, run("status", "--key_id", "k", "--kms_address", "127.0.0.1:1", "--insecure", "--ca_cert",
                "/nonexistent").code());
        assertEquals(2, run("status", "--kms_address", kms.address(), "--insecure").code()); // no --key_id
        assertEquals(2, run("status", "--key_id", "k", "--kms_address", "nohost").code());
        assertEquals(2, run("encrypt-metadata", "--key_id", "k").code()); // no value
    }

    @Test
    void theTokenFileIsSentOnEveryCall() throws Exception {
        kms.requireToken = true;
        kms.acceptedTokens.add("Bearer cli-token-1");
        Path token = tmp.resolve("token");
        Files.writeString(token, "cli-token-1\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, run("status", "--key_id", "k", "--token_file", token.toString()).code());
        assertEquals(List.of("GetKeyStatus=Bearer cli-token-1"), kms.authorizations);
        Run refused = run("status", "--key_id", "k");
        assertEquals(7, refused.code());
        assertTrue(refused.err().contains("UNAUTHENTICATED"), refused.err());
    }
}
