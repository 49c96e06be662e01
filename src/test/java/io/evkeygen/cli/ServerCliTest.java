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

    /** A new empty file only its owner can read, as a secret file should be (no warning about it). */
    private static Path ownerOnly(Path file) throws java.io.IOException {
        Files.createFile(file);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        return file;
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
        Path f = ownerOnly(tmp.resolve("token"));
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
        Result r = withTokenInTheEnvironment("env-tok-123", "server", "list", "--address", fake.address(), "--insecure",
                "--json");
        assertEquals(0, r.code(), r.out());
        assertEquals(List.of("Bearer env-tok-123"), fake.authorizations);
        assertFalse(r.out().contains("env-tok-123"), r.out());
    }

    /** evkeygen in a child JVM with ENVECTOR_ACCESS_TOKEN set: its exit code and its stdout and stderr together. */
    private Result withTokenInTheEnvironment(String token, String... args) throws Exception {
        Path log = tmp.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("ENVECTOR_ACCESS_TOKEN", token);
        Process p = pb.start();
        assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES));
        return new Result(p.exitValue(), Files.readString(log), "");
    }

    /** No control character but line ends and the tabs of a stack trace reaches the terminal. */
    private static void assertNoRawControl(Result r) {
        String all = r.out() + r.err();
        assertTrue(all.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t'), all);
        assertTrue((r.out() + "\n" + r.err()).lines().noneMatch(l -> l.startsWith("forged")), all);
    }

    @Test
    void stringsFromTheServerReachTheTerminalEscaped() throws Exception {
        String evil = "k\u001b]0;title\u0007\r\nforged";
        fake.keys.put(evil, new FakeEnvectorServer.Stored(evil, "EvalKey\u001b[2J", "IP0\r", "RMP\nforged",
                "0".repeat(64), 1, 1, 1, new byte[] {0}));
        fake.preload("c1\u009b2J\u007f", false); // CSI and DEL, which JSON itself would write raw
        Result list = server("list");
        assertEquals(0, list.code(), list.err());
        assertNoRawControl(list);
        assertEquals("k\\u001b]0;title\\u0007\\u000d\\u000aforged\nc1\\u009b2J\\u007f\n", list.out());
        Result listJson = server("list", "--json");
        assertNoRawControl(listJson);
        assertEquals(List.of(evil, "c1\u009b2J\u007f"),
                JSON.convertValue(JSON.readTree(listJson.out()).get("key_ids"), List.class));
        fake.keys.remove("c1\u009b2J\u007f");

        Result info = server("info", "--key_id", evil);
        assertEquals(0, info.code(), info.err());
        assertNoRawControl(info);
        assertTrue(info.out().contains("type: EvalKey\\u001b[2J\n"), info.out());
        assertTrue(info.out().contains("eval_mode: RMP\\u000aforged\n"), info.out());
        JsonNode json = JSON.readTree(server("info", "--key_id", evil, "--json").out()); // escaped by JSON itself
        assertEquals("RMP\nforged", json.get("eval_mode").asText());

        Result activate = server("activate", "--key_path", keyPath(), "--key_id", "mine", "--dim", "32");
        assertEquals(0, activate.code(), activate.err());
        assertNoRawControl(activate);
        assertTrue(activate.out().contains("unloaded k\\u001b]0;title"), activate.out());

        fake.failNext("load_key", 13, "warm\u001b[2J\r\nforged");
        Result returnCode = server("load", "--key_id", "mine", "--debug");
        assertEquals(7, returnCode.code(), returnCode.err());
        assertNoRawControl(returnCode);
        assertTrue(returnCode.err().contains("warm\\u001b[2J"), returnCode.err());

        fake.failCalls = io.grpc.Status.INTERNAL.withDescription("boom\u001b[31m\r\nforged");
        Result status = server("list", "--server_api", "v2", "--debug");
        assertEquals(7, status.code(), status.err());
        assertNoRawControl(status);
        assertTrue(status.err().contains("boom\\u001b[31m"), status.err());
    }

    @Test
    void theServerVersionIsPrintedEscaped() {
        assertEquals(", server 1.5\\u001b[31m\\u000d", ServerCommand.serverVersion(java.util.Optional.of("1.5\u001b[31m\r")));
        assertEquals("", ServerCommand.serverVersion(java.util.Optional.empty()));
    }

    @Test
    void aTokenThatIsNotAnRfc6750BearerTokenIsRefusedBeforeAnyCallAndNeverLogged() throws Exception {
        Path f = ownerOnly(tmp.resolve("token"));
        for (String bad : List.of("Qx\u0001Zw", "Qx\u001b[0mZw", "Qx Zw", "Qx\u00e9Zw", "Qx\nZw\n", " QxZw", "QxZw\n\n",
                "=QxZw", "")) {
            Files.write(f, bad.getBytes(StandardCharsets.UTF_8));
            Result r = server("list", "--token_file", f.toString(), "--verbose");
            assertOneLineError(r, 2, "--token_file " + f + (bad.isEmpty() ? " is empty" : " does not hold an RFC 6750 bearer token"));
            assertFalse(r.err().contains("Qx") || r.err().contains("Zw") || r.err().contains("value=["), r.err());
        }
        assertEquals(List.of(), fake.authorizations); // no call went out, authenticated or not

        fake.requireToken = true;
        fake.acceptedTokens.add("Bearer a-Z_0.9~+/==");
        Files.writeString(f, "a-Z_0.9~+/==\r\n");
        Result ok = server("list", "--token_file", f.toString());
        assertEquals(0, ok.code(), ok.err());

        Result env = withTokenInTheEnvironment("env\u0001tok-123", "--verbose", "server", "list", "--address",
                fake.address(), "--insecure");
        String out = env.out();
        assertEquals(2, env.code(), out);
        assertTrue(out.contains("ENVECTOR_ACCESS_TOKEN does not hold an RFC 6750 bearer token"), out);
        assertFalse(out.contains("tok-123") || out.contains("value=["), out);
        assertEquals(List.of("Bearer a-Z_0.9~+/=="), fake.authorizations.stream().distinct().toList());
    }

    @Test
    void insecureToAHostThatIsNotLoopbackNeedsAllowPlaintextRemoteAndWarns() {
        Result refused = run("server", "list", "--address", "192.0.2.1:50051", "--insecure"); // TEST-NET-1
        assertOneLineError(refused, 2, "plaintext to 192.0.2.1:50051, which is not a loopback address, would send the"
                + " bearer token and the EvalKeys in clear: use TLS, or allow it explicitly (--allow_plaintext_remote)");

        for (String flag : List.of("--allow_plaintext_remote", "--allow-plaintext-remote")) {
            Result allowed = run("server", "list", "--address", "192.0.2.1:50051", "--insecure", flag, "--timeout", "0.3");
            assertEquals(7, allowed.code(), allowed.err()); // nothing answers there: the deadline
            List<String> lines = allowed.err().lines().toList();
            assertEquals(2, lines.size(), allowed.err());
            assertEquals("evkeygen: warning: plaintext to 192.0.2.1:50051, which is not a loopback address, sends the"
                    + " bearer token and the EvalKeys in clear", lines.get(0));
        }
        Result local = server("list");
        assertEquals(0, local.code(), local.err());
        assertEquals("", local.err());
    }

    @Test
    void timeoutsAreFiniteMoreThanZeroAndAtMostADayOrAWeek() {
        for (String bad : List.of("NaN", "-NaN", "Infinity", "-Infinity", "1e300", "0", "-1", "86400.001")) {
            assertOneLineError(server("list", "--timeout", bad), 2, "--timeout must be more than 0 and at most 86400 seconds");
        }
        for (String bad : List.of("NaN", "Infinity", "1e300", "0", "604801")) {
            assertOneLineError(server("list", "--register_timeout", bad), 2,
                    "--register_timeout must be more than 0 and at most 604800 seconds");
        }
        assertEquals(List.of(), fake.calls);
        assertEquals(0, fake.healthChecks.get());
        Result longest = server("list", "--timeout", "86400", "--register_timeout", "604800");
        assertEquals(0, longest.code(), longest.err());
        Result shortest = server("list", "--timeout", "1e-12"); // rounded up to a nanosecond: a deadline, exceeded
        assertOneLineError(shortest, 7, "deadline exceeded");
    }

    @Test
    void aCaCertThatHoldsNoCertificateIsAUsageErrorNamingTheFileNotItsContent() throws Exception {
        TestCerts certs = TestCerts.create(tmp);
        Path text = tmp.resolve("not-a-cert.txt");
        Files.writeString(text, "hunter2-not-a-certificate\n");
        Path empty = Files.createFile(tmp.resolve("empty.pem"));
        for (Path bad : List.of(text, empty, certs.serverKey)) { // a PEM private key holds no certificate either
            Result r = run("server", "list", "--address", fake.address(), "--ca_cert", bad.toString());
            assertOneLineError(r, 2, "CA certificate " + bad + " is not a PEM certificate");
            assertFalse(r.err().contains("hunter2") || r.err().contains("PRIVATE"), r.err());
        }
    }

    @Test
    void secretFilesReadableByOthersAreUsedWithAWarningAsSshDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"));
        fake.requireToken = true;
        fake.acceptedTokens.add("Bearer tok-1");
        Path f = tmp.resolve("token");
        Files.writeString(f, "tok-1\n");
        for (String mode : List.of("rw-r--r--", "rw-r-----", "rw----r--", "rw-------", "r--------")) {
            Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
            Result r = server("list", "--token_file", f.toString());
            assertEquals(0, r.code(), r.err());
            boolean others = mode.charAt(3) == 'r' || mode.charAt(6) == 'r'; // group or world
            assertEquals(others ? "evkeygen: warning: " + f + " is readable by others; chmod 600 it\n"
                    : "", r.err(), mode);
        }

        // OAuth2's refresh token and client secret: warned about before the (here refused) refresh
        Path refresh = Files.writeString(tmp.resolve("refresh"), "r0");
        Path secret = Files.writeString(tmp.resolve("secret"), "s0");
        Files.setPosixFilePermissions(refresh, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-r--"));
        Result oauth = server("list", "--oauth_token_endpoint", "http://127.0.0.1:1/token", "--oauth_client_id", "c",
                "--refresh_token_file", refresh.toString(), "--oauth_client_secret_file", secret.toString());
        assertEquals(7, oauth.code(), oauth.err());
        assertTrue(oauth.err().contains("evkeygen: warning: " + refresh + " is readable by others; chmod 600 it\n"), oauth.err());
        assertTrue(oauth.err().contains("evkeygen: warning: " + secret + " is readable by others; chmod 600 it\n"), oauth.err());
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
