package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.server.FakeEnvectorServer;
import io.evkeygen.server.TestCerts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evkeygen server ...} in-process against {@link FakeEnvectorServer}: output, errors and exit codes. */
class ServerCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private FakeEnvectorServer fake;

    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        fake = FakeEnvectorServer.plaintext();
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new java.io.ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result server(String sub, String... args) {
        List<String> a = new ArrayList<>(List.of("server", sub, "--address", fake.address(), "--insecure"));
        a.addAll(List.of(args));
        return run(a.toArray(String[]::new));
    }

    private static void assertOneLineError(Result r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    private String keyPath() {
        return tmp.resolve("keys").toString();
    }

    @Test
    void activateGeneratesRegistersAndLoadsThenASecondRunOnlyLoads() throws Exception {
        fake.preload("old", true);
        Result first = server("activate", "--key_path", keyPath(), "--key_id", "cli", "--dim", "32", "--json");
        assertEquals(0, first.code(), first.err());
        JsonNode j = JSON.readTree(first.out());
        assertTrue(j.get("generated").asBoolean());
        assertTrue(j.get("registered").asBoolean());
        assertTrue(j.get("loaded").asBoolean());
        assertEquals("old", j.get("unloaded").get(0).asText());
        assertEquals("v2", j.get("api").asText());
        assertEquals("1.5.0", j.get("server_version").asText());
        assertEquals("cli", fake.loaded);

        fake.loaded = null;
        Result second = server("activate", "--key_path", keyPath(), "--key_id", "cli", "--dim", "32");
        assertEquals(0, second.code(), second.err());
        assertEquals("Key set cli: existing; already registered; unloaded old; loaded (API v2, server 1.5.0)",
                second.out().strip());
        assertEquals(List.of(), fake.violations);
    }

    @Test
    void activateWithoutAutoKeySetupRefusesAnAbsentSet() {
        Result r = server("activate", "--key_path", keyPath(), "--key_id", "none", "--dim", "32", "--auto_key_setup", "false");
        assertOneLineError(r, 2, "automatic key setup is off");
        assertFalse(Files.exists(tmp.resolve("keys/none")));
    }

    @Test
    void registerInfoListLoadUnloadDelete() throws Exception {
        assertEquals(0, run("--key_path", keyPath(), "--key_id", "k", "--dim", "32").code());
        Result reg = server("register", "--key_path", keyPath(), "--key_id", "k");
        assertEquals(0, reg.code(), reg.err());
        assertTrue(reg.out().startsWith("Registered k (IP0, RMP, "), reg.out());

        JsonNode info = JSON.readTree(server("info", "--key_id", "k", "--json").out());
        assertEquals("IP0", info.get("preset").asText());
        assertEquals("RMP", info.get("eval_mode").asText());
        assertEquals(fake.keys.get("k").sha256sum(), info.get("sha256sum").asText());
        assertFalse(info.get("is_loaded").asBoolean());

        JsonNode list = JSON.readTree(server("list", "--json").out());
        assertEquals("k", list.get("key_ids").get(0).asText());
        assertEquals("1.5.0", list.get("server_version").asText());
        assertEquals("k\n", server("list", "--server_api", "es2e").out());

        assertEquals("Loaded k\n", server("load", "--key_id", "k").out());
        assertEquals("k", fake.loaded);
        assertEquals("Unloaded k\n", server("unload", "--key_id", "k").out());
        assertEquals("Deleted k from the server\n", server("delete", "--key_id", "k").out());
        assertTrue(fake.keys.isEmpty());
    }

    @Test
    void aNonSuccessReturnCodeIsOneLineWithExit7() {
        fake.preload("k", false);
        fake.failNext("load_key", 13, "warming up");
        assertOneLineError(server("load", "--key_id", "k"), 7, "evkeygen: load_key: the server returned NotReady: warming up");
        assertOneLineError(server("unload", "--key_id", "nope"), 7, "unload_key: the server returned NotFoundError: no key nope");
    }

    @Test
    void connectionRefusedDeadlineNeitherApiAndTlsFailuresAreOneLineWithExit7() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        assertOneLineError(run("server", "list", "--address", "127.0.0.1:" + port, "--insecure"), 7, "connection refused");

        fake.neverAnswer = true;
        assertOneLineError(server("list", "--timeout", "0.3"), 7, "deadline exceeded");

        try (FakeEnvectorServer neither = FakeEnvectorServer.plaintext(false, false)) {
            assertOneLineError(run("server", "list", "--address", neither.address(), "--insecure"), 7,
                    "speaks neither enVector API");
        }

        TestCerts certs = TestCerts.create(tmp);
        try (FakeEnvectorServer tls = FakeEnvectorServer.tls(certs.serverCredentials())) {
            assertOneLineError(run("server", "list", "--address", tls.address()), 7, "TLS handshake with");
            Result ok = run("server", "list", "--address", tls.address(), "--ca_cert", certs.caPem.toString());
            assertEquals(0, ok.code(), ok.err());
        }
    }

    @Test
    void tokensComeFromAFileAndAreNeverEchoed() throws Exception {
        fake.requireToken = true;
        fake.acceptedTokens.add("Bearer tok-from-file");
        Path f = tmp.resolve("token");
        Files.writeString(f, "tok-from-file\n");
        Result ok = server("list", "--token_file", f.toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("Bearer tok-from-file", fake.authorizations.get(0));

        for (String[] args : List.of(new String[] {"--token", "sup3r-secret"}, new String[] {"--token=sup3r-secret"},
                new String[] {"--access_token", "sup3r-secret"}, new String[] {"sup3r-secret"})) {
            Result r = server("list", args);
            assertEquals(2, r.code(), r.err());
            assertFalse((r.out() + r.err()).contains("sup3r-secret"), r.err());
        }
        assertOneLineError(server("list", "--token_file", tmp.resolve("missing").toString()), 2,
                "--token_file " + tmp.resolve("missing") + " does not exist");
        Files.writeString(f, "wrong-token");
        Result bad = server("list", "--token_file", f.toString());
        assertOneLineError(bad, 7, "UNAUTHENTICATED");
        assertFalse(bad.err().contains("wrong-token"));
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNoFileIsGiven() throws Exception {
        fake.requireToken = true;
        fake.acceptedTokens.add("Bearer env-tok-123");
        Path log = tmp.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main",
                "server", "list", "--address", fake.address(), "--insecure", "--json")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ENVECTOR_ACCESS_TOKEN", "env-tok-123");
        Process p = pb.start();
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertEquals(List.of("Bearer env-tok-123"), fake.authorizations);
        assertFalse(out.contains("env-tok-123"), out);
    }

    @Test
    void usageErrorsNameTheFlag() {
        assertOneLineError(server("list", "--server_api", "v3"), 2, "unknown server API 'v3'");
        assertOneLineError(run("server", "list", "--address", "nohost", "--insecure"), 2, "not HOST:PORT");
        assertOneLineError(run("server", "list", "--address", fake.address(), "--insecure", "--ca_cert", "x.pem"), 2,
                "not both");
        assertOneLineError(run("server", "list"), 2, "--address");
        assertOneLineError(server("info"), 2, "--key_id");
        assertEquals(2, run("server").code());
        assertTrue(Stream.of("list", "info", "register", "load", "unload", "delete", "activate")
                .allMatch(s -> run("server", "--help").out().contains(s)));
    }

    @Test
    void activateTakesAnExistingSetAsItIsUnlessTheFlagsSayOtherwise() throws Exception {
        assertEquals(0, run("--key_path", keyPath(), "--key_id", "big", "--dim", "1024").code());
        Result refused = server("activate", "--key_path", keyPath(), "--key_id", "big", "--dim", "4096");
        assertOneLineError(refused, 3, "(RMP, dims [1024]) does not match the request (dims [4096]): use another key id");
        assertTrue(fake.keys.isEmpty());
        assertOneLineError(server("activate", "--key_path", keyPath(), "--key_id", "big", "--eval_mode", "mm"), 3,
                "does not match the request (MM)");

        Result r = server("activate", "--key_path", keyPath(), "--key_id", "big", "--json"); // no --dim: ev.init's way
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertFalse(JSON.readTree(r.out()).get("generated").asBoolean());
        assertTrue(JSON.readTree(r.out()).get("evalkey_checked").asBoolean());
        assertEquals("big", fake.loaded);
        assertArrayEquals(io.evkeygen.KeySet.load(tmp.resolve("keys/big")).evalKeyBytes(), fake.keys.get("big").payload());
        assertEquals(0, server("activate", "--key_path", keyPath(), "--key_id", "big", "--dim", "1024",
                "--eval_mode", "rmp", "--metadata_encryption", "true").code());

        // nor are the defaults of --eval_mode and --metadata_encryption
        assertEquals(0, run("--key_path", keyPath(), "--key_id", "plain", "--dim", "32", "--metadata_encryption", "false").code());
        Result plain = server("activate", "--key_path", keyPath(), "--key_id", "plain");
        assertEquals(0, plain.code(), plain.err());
        assertOneLineError(server("activate", "--key_path", keyPath(), "--key_id", "plain", "--metadata_encryption", "true"),
                3, "(RMP, dims [32], no metadata key) does not match the request (metadata encryption)");
    }

    @Test
    void activateRefusesAListedIdThatHoldsAnotherEvalKey() throws Exception {
        assertEquals(0, run("--key_path", keyPath(), "--key_id", "k", "--dim", "32").code());
        fake.preload("other", true);
        fake.preload("k", false); // a stranger's EvalKey, sha256 000...
        Result r = server("activate", "--key_path", keyPath(), "--key_id", "k");
        String ours = sha256OfPayload("k");
        assertOneLineError(r, 7, "evkeygen: the server holds key k with EvalKey sha256 000000000000..., ours is ");
        assertTrue(r.err().contains("ours is " + ours.substring(0, 12) + "...: "), r.err());
        assertEquals("other", fake.loaded, "nothing unloaded, nothing loaded");

        // ES2E gives no hash: loaded with a warning, and --json says it was not checked
        Result es2e = server("activate", "--key_path", keyPath(), "--key_id", "k", "--server_api", "es2e", "--json");
        assertEquals(0, es2e.code(), es2e.err());
        assertTrue(es2e.err().startsWith("evkeygen: warning: the server (API es2e) already listed key k"), es2e.err());
        assertFalse(JSON.readTree(es2e.out()).get("evalkey_checked").asBoolean());
    }

    private String sha256OfPayload(String keyId) throws Exception {
        try (java.io.InputStream in = Files.newInputStream(tmp.resolve("keys").resolve(keyId).resolve("EvalKey.json"))) {
            return io.evkeygen.KeySet.readEvalKey(in, null).sha256Hex();
        }
    }

    @Test
    void activateAgainstAnUnreachableServerWritesNothing() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        Files.createDirectories(tmp.resolve("keys"));
        Result r = run("server", "activate", "--address", "127.0.0.1:" + port, "--insecure", "--key_path", keyPath(),
                "--key_id", "never", "--dim", "32");
        assertOneLineError(r, 7, "connection refused");
        assertEquals(List.of(), io.evkeygen.TestSupport.list(tmp.resolve("keys")), "no key or staging directory");
    }

    @Test
    void registerVerifiesTheWholeSetBeforeUploading() throws Exception {
        for (String id : List.of("missing", "flipped", "swapped", "donor")) {
            assertEquals(0, run("--key_path", keyPath(), "--key_id", id, "--dim", "32").code());
        }
        Path keys = tmp.resolve("keys");
        Files.delete(keys.resolve("missing/SecKey.json"));
        byte[] eval = Files.readAllBytes(keys.resolve("flipped/EvalKey.json"));
        eval[eval.length / 2] ^= 1;
        Files.write(keys.resolve("flipped/EvalKey.json"), eval);
        // the EvalKey of another set made under the same id: a valid envelope, but not this SecKey's
        Path donor = tmp.resolve("donor");
        assertEquals(0, run("--key_path", donor.toString(), "--key_id", "swapped", "--dim", "32").code());
        Files.copy(donor.resolve("swapped/EvalKey.json"), keys.resolve("swapped/EvalKey.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertOneLineError(server("register", "--key_path", keyPath(), "--key_id", "missing"), 4,
                "is incomplete: SecKey.json is missing");
        assertOneLineError(server("register", "--key_path", keyPath(), "--key_id", "flipped"), 4, "EvalKey.json");
        assertOneLineError(server("register", "--key_path", keyPath(), "--key_id", "swapped"), 4, "EvalKey");
        assertTrue(fake.calls.stream().noneMatch(c -> c.contains("register_key")), fake.calls.toString());
        assertEquals(List.of(), fake.cancelledStreams);
        assertTrue(fake.keys.isEmpty());
        assertEquals(0, server("register", "--key_path", keyPath(), "--key_id", "donor").code());
    }
}
