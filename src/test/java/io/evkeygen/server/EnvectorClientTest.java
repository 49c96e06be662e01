package io.evkeygen.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.KeyGenerator;
import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.params.EvalMode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key client against {@link FakeEnvectorServer}: both API generations, failures, auth and TLS. */
class EnvectorClientTest {
    @TempDir
    static Path keys;
    static Path small;   // RMP [32]: one frame
    static Path large;   // RMP [1024, 2048]: several frames
    static Path mm;      // MM: the one-byte payload

    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void generate() throws IOException {
        small = KeyGenerator.builder().keyPath(keys).keyId("small").dims(32).build().generateKeys();
        large = KeyGenerator.builder().keyPath(keys).keyId("large").dims(1024, 2048).build().generateKeys();
        mm = KeyGenerator.builder().keyPath(keys).keyId("mm").dims(1024).evalMode(EvalMode.MM).build().generateKeys();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private FakeEnvectorServer server(boolean v2, boolean es2e) throws IOException {
        return track(FakeEnvectorServer.plaintext(v2, es2e));
    }

    private EnvectorClient client(FakeEnvectorServer s, ServerApi api) {
        return track(EnvectorClient.builder(s.address()).insecure().api(api).build());
    }

    private static byte[] evalKeyBin(Path dir) throws IOException {
        return KeySet.load(dir).evalKeyBytes();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void v2RegistersTheRawEvalKeyInOneMibFramesWithUpperCaseNamesAndReportsTheVersion() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.AUTO);
        KeyListing before = c.listKeys();
        assertEquals(ServerApi.V2, before.api());
        assertEquals(Optional.of("1.5.0"), before.serverVersion());
        assertEquals(List.of(), before.keyIds());

        List<long[]> progress = new ArrayList<>();
        KeySet.EvalKeyDigest d = c.register(EvalKeyPayload.fromDirectory(large), (sent, total) -> progress.add(new long[] {sent, total}));
        byte[] bin = evalKeyBin(large);
        assertTrue(bin.length > 2 * FakeEnvectorServer.MIB, "the test needs a multi-frame payload: " + bin.length);
        FakeEnvectorServer.Stored k = s.keys.get("large");
        assertEquals(List.of(), s.violations);
        assertEquals("IP0", k.preset());
        assertEquals("RMP", k.evalMode());
        assertEquals("EvalKey", k.type());
        assertEquals(sha256(bin), k.sha256sum());
        assertEquals(d.sha256Hex(), k.sha256sum());
        assertEquals(bin.length, k.size());
        assertEquals((bin.length + FakeEnvectorServer.MIB - 1) / FakeEnvectorServer.MIB, k.frames());
        assertEquals(FakeEnvectorServer.MIB, k.largestFrame());
        assertArrayEquals(bin, k.payload());
        assertEquals(bin.length, progress.get(progress.size() - 1)[0]);
        assertEquals(bin.length, progress.get(0)[1]);

        ServerKeyInfo info = c.keyInfo("large");
        assertEquals(new ServerKeyInfo("large", "EvalKey", "IP0", "RMP", sha256(bin), false), info);
        assertEquals(List.of("large"), c.listKeys().keyIds());
        assertEquals(List.of("v2/get_key_list", "v2/register_key large", "v2/get_key_info large", "v2/get_key_list"),
                s.calls);
    }

    @Test
    void autoFallsBackToEs2eWithLowerCaseNamesAndTheWholeLengthInKeySize() throws Exception {
        FakeEnvectorServer s = server(false, true);
        EnvectorClient c = client(s, ServerApi.AUTO);
        c.register(EvalKeyPayload.fromDirectory(large), UploadProgress.NONE);
        c.register(EvalKeyPayload.fromDirectory(mm), UploadProgress.NONE);
        assertEquals(List.of(), s.violations); // ES2E: key.size = total in every frame, no header id
        assertEquals(ServerApi.ES2E, c.api());
        assertEquals(Optional.empty(), c.serverVersion());
        assertEquals("ip0", s.keys.get("large").preset());
        assertEquals("rmp", s.keys.get("large").evalMode());
        assertEquals("mm", s.keys.get("mm").evalMode());
        assertArrayEquals(new byte[] {0}, s.keys.get("mm").payload());
        assertArrayEquals(evalKeyBin(large), s.keys.get("large").payload());
        KeygenException e = assertThrows(KeygenException.class, () -> c.keyInfo("large"));
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        c.load("large");
        assertEquals("large", s.loaded);
        c.unload("large");
        assertNull(s.loaded);
        c.delete("mm");
        assertEquals(List.of("large"), c.listKeys().keyIds());
        assertEquals("es2e/get_key_list", s.calls.get(0));
    }

    @Test
    void olderV2ServersReportTheirVersionUnderTheOldKeyAndNoVersionIsRefused() throws Exception {
        FakeEnvectorServer s = server(true, false);
        s.oldVersionKey = true;
        s.version = "0.9.0-rc1"; // a pre-release far from any client version: reported, never refused
        EnvectorClient c = client(s, ServerApi.V2);
        assertEquals(Optional.of("0.9.0-rc1"), c.listKeys().serverVersion());
    }

    @Test
    void theHealthServiceIsAskedOnceAndANotServingServerIsRefused() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.AUTO);
        c.listKeys();
        c.register(EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
        c.load("small");
        assertEquals(1, s.healthChecks.get());

        s.health = "NOT_SERVING";
        EnvectorClient fresh = client(s, ServerApi.AUTO);
        ServerException e = assertThrows(ServerException.class, fresh::listKeys);
        assertEquals("the server at " + s.address() + " reports NOT_SERVING (grpc.health.v1.Health/Check)", e.getMessage());
        assertEquals(3, s.calls.size()); // no enVector call was made after the refusal

        s.health = "UNIMPLEMENTED"; // a server without the health service (an ES2E server, say) is used as it is
        assertEquals(List.of("small"), client(s, ServerApi.ES2E).listKeys().keyIds());
        assertEquals(List.of(), s.violations);
    }

    @Test
    void aServerSpeakingNeitherApiIsRefusedClearly() throws Exception {
        FakeEnvectorServer s = server(false, false);
        ServerException e = assertThrows(ServerException.class, () -> client(s, ServerApi.AUTO).listKeys());
        assertTrue(e.getMessage().contains("speaks neither enVector API"), e.getMessage());
        assertEquals(KeygenException.Kind.STORE, e.kind());
        ServerException fixed = assertThrows(ServerException.class, () -> client(s, ServerApi.ES2E).listKeys());
        assertTrue(fixed.getMessage().contains("does not implement get_key_list of ES2E.ES2EService"), fixed.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
    void everyNonSuccessV2ReturnCodeIsAnErrorNamingTheRpcTheCodeAndTheMessage(int code) throws Exception {
        FakeEnvectorServer s = server(true, false);
        s.preload("k", false);
        EnvectorClient c = client(s, ServerApi.V2);
        s.failNext("load_key", code, "fake says no (" + code + ")");
        ServerException e = assertThrows(ServerException.class, () -> c.load("k"));
        String name = io.evkeygen.server.internal.proto.CommonV2.ReturnCode.forNumber(code).name();
        assertEquals("load_key: the server returned " + name + ": fake says no (" + code + ")", e.getMessage());
        assertEquals(Optional.of(name), e.returnCode());
        assertNull(s.loaded);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void everyNonSuccessEs2eReturnCodeIsAnErrorAlsoForRegister(int code) throws Exception {
        FakeEnvectorServer s = server(false, true);
        EnvectorClient c = client(s, ServerApi.ES2E);
        s.failNext("register_key", code, "disk trouble");
        ServerException e = assertThrows(ServerException.class,
                () -> c.register(EvalKeyPayload.fromDirectory(small), UploadProgress.NONE));
        String name = io.evkeygen.server.internal.proto.Es2.ReturnCode.forNumber(code).name();
        assertEquals("register_key: the server returned " + name + ": disk trouble", e.getMessage());
        assertEquals(List.of(), s.violations);
    }

    @Test
    void unavailableInTheMiddleOfTheStreamFailsTheRegistrationAndStoresNothing() throws Exception {
        for (ServerApi api : List.of(ServerApi.V2, ServerApi.ES2E)) {
            FakeEnvectorServer s = server(true, true);
            s.unavailableAfterFrames = 2;
            EnvectorClient c = client(s, api);
            ServerException e = assertThrows(ServerException.class,
                    () -> c.register(EvalKeyPayload.fromDirectory(large), UploadProgress.NONE));
            assertEquals(Optional.of("UNAVAILABLE"), e.grpcStatus());
            assertTrue(e.getMessage().startsWith("register_key to " + s.address() + " failed: UNAVAILABLE"), e.getMessage());
            assertTrue(s.keys.isEmpty());
            // the client recovers: the next registration goes through
            c.register(EvalKeyPayload.fromDirectory(large), UploadProgress.NONE);
            assertTrue(s.keys.containsKey("large"));
        }
    }

    @Test
    void aPayloadThatDoesNotHashToTheEnvelopeIsCancelledNeverCompleted() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.V2);
        EvalKeyPayload real = EvalKeyPayload.fromDirectory(large);
        EvalKeyPayload lying = new EvalKeyPayload("lying", () -> Files.newInputStream(large.resolve("EvalKey.json"))) {
            @Override
            KeySet.EvalKeyDigest stream(OutputStream out) throws IOException {
                if (out == null) {
                    return real.stream(null); // describe(): the envelope's true digest
                }
                KeySet.EvalKeyDigest d = real.stream(new OutputStream() {
                    long n;

                    @Override
                    public void write(int b) throws IOException {
                        out.write(n++ == 3_000_000 ? b ^ 1 : b); // one bit flipped in the third MiB
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        for (int i = 0; i < len; i++) {
                            write(b[off + i]);
                        }
                    }
                });
                return d;
            }
        };
        KeygenException e = assertThrows(KeygenException.class, () -> c.register(lying, UploadProgress.NONE));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(e.getMessage().contains("registration cancelled"), e.getMessage());
        waitFor(() -> !s.cancelledStreams.isEmpty());
        assertEquals(List.of("v2/register_key large"), s.cancelledStreams);
        assertFalse(s.calls.contains("v2/register_key large"), "the stream was completed: " + s.calls);
        assertTrue(s.keys.isEmpty());
    }

    @Test
    void aTamperedEnvelopeIsRefusedBeforeAnyStreamOpens() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.V2);
        Path dir = Files.createDirectories(keys.resolve("tampered"));
        String json = Files.readString(small.resolve("EvalKey.json"), StandardCharsets.US_ASCII);
        int at = json.indexOf("\"key_data\": \"") + 20;
        char flipped = json.charAt(at) == 'A' ? 'B' : 'A';
        Files.writeString(dir.resolve("EvalKey.json"), json.substring(0, at) + flipped + json.substring(at + 1));
        KeygenException e = assertThrows(KeygenException.class,
                () -> c.register(EvalKeyPayload.fromDirectory(dir), UploadProgress.NONE));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(s.calls.stream().noneMatch(x -> x.contains("register_key")));
        assertTrue(s.cancelledStreams.isEmpty());
    }

    @Test
    void theBearerTokenGoesOnEveryCallAndAWrongOneIsRefusedWithoutBeingPrinted() throws Exception {
        FakeEnvectorServer s = server(true, true);
        s.requireToken = true;
        s.acceptedTokens.add("Bearer s3cret-token");
        EnvectorClient good = track(EnvectorClient.builder(s.address()).insecure().auth(ServerAuth.token("s3cret-token")).build());
        good.activate("small", EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
        assertTrue(s.authorizations.size() >= 4);
        assertTrue(s.authorizations.stream().allMatch("Bearer s3cret-token"::equals), s.authorizations.toString());
        EnvectorClient bad = track(EnvectorClient.builder(s.address()).insecure().auth(ServerAuth.token("wrong-token-value")).build());
        ServerException e = assertThrows(ServerException.class, bad::listKeys);
        assertEquals(Optional.of("UNAUTHENTICATED"), e.grpcStatus());
        assertFalse(e.getMessage().contains("wrong-token-value"));
        assertFalse(ServerAuth.token("wrong-token-value").toString().contains("wrong"));
        EnvectorClient none = track(EnvectorClient.builder(s.address()).insecure().build());
        assertThrows(ServerException.class, none::listKeys);
        assertNull(s.authorizations.get(s.authorizations.size() - 1)); // no token: no authorization entry
    }

    @Test
    void onlyRfc6750BearerTokensAreTakenAndNoneIsQuotedWhenRefused() throws Exception {
        for (String bad : List.of("ab\u0001cd", "ab\u007fcd", "ab cd", "ab\u00e9cd", "abcd\n\n", "ab\ncd", "\tabcd", "=abcd",
                "ab=cd", "ab,cd", "ab\"cd", "")) {
            KeygenException e = assertThrows(KeygenException.class, () -> ServerAuth.token(bad), bad);
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertFalse(e.getMessage().contains("ab") || e.getMessage().contains("cd"), e.getMessage());
        }
        assertThrows(KeygenException.class, () -> ServerAuth.token(null));
        FakeEnvectorServer s = server(true, false);
        s.requireToken = true;
        s.acceptedTokens.add("Bearer A-z_0.9~+/==");
        s.acceptedTokens.add("Bearer from-a-file");
        track(EnvectorClient.builder(s.address()).insecure().auth(ServerAuth.token("A-z_0.9~+/==\n")).build()).listKeys();
        Path file = keys.resolve("token.txt");
        Files.writeString(file, "from-a-file\r\n");
        track(EnvectorClient.builder(s.address()).insecure().auth(ServerAuth.tokenFile(file)).build()).listKeys();
        Files.write(file, new byte[] {'a', (byte) 0xc3, (byte) 0xa9, '\n'});
        KeygenException notAscii = assertThrows(KeygenException.class, () -> ServerAuth.tokenFile(file));
        assertEquals("token file " + file + " does not hold an RFC 6750 bearer token (only letters, digits, -._~+/"
                + " and trailing =, on one line)", notAscii.getMessage());

        // an access token from the endpoint (a control character, escaped in its JSON) is held to the same
        // rule: refused (a server failure), never sent
        try (FakeTokenEndpoint idp = new FakeTokenEndpoint("r0", "fresh\\u0001-1")) {
            ServerAuth auth = ServerAuth.oauth2(idp.tokenUri(), false, "evkeygen-test", null, null, "r0");
            EnvectorClient c = track(EnvectorClient.builder(s.address()).insecure().auth(auth).build());
            int before = s.authorizations.size();
            KeygenException e = assertThrows(KeygenException.class, c::listKeys);
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertEquals("OAuth2 token refresh at " + idp.tokenUri() + " failed: its access_token is not an RFC 6750"
                    + " bearer token", e.getMessage());
            assertEquals(before, s.authorizations.size());
        }
    }

    @Test
    void anExpiredTokenIsRefreshedOnceAndTheCallRetried() throws Exception {
        FakeEnvectorServer s = server(true, true);
        s.requireToken = true;
        s.acceptedTokens.add("Bearer fresh-2");
        try (FakeTokenEndpoint idp = new FakeTokenEndpoint("refresh-0", "expired-1", "fresh-2", "fresh-3", "fresh-4")) {
            ServerAuth auth = ServerAuth.oauth2(idp.issuer(), true, "evkeygen-test", null, "envector", "refresh-0");
            EnvectorClient c = track(EnvectorClient.builder(s.address()).insecure().auth(auth).build());
            assertEquals(List.of(), c.listKeys().keyIds()); // expired-1 refused, refreshed to fresh-2, retried
            assertEquals(2, idp.requests.size());
            assertEquals("refresh-0", idp.requests.get(0).get("refresh_token"));
            assertEquals("rotated-refresh-1", idp.requests.get(1).get("refresh_token")); // the rotated one
            assertEquals("envector", idp.requests.get(1).get("scope"));
            assertEquals(List.of("Bearer expired-1", "Bearer fresh-2"), s.authorizations);

            // ReturnCode AuthenticationError (v2) also refreshes and retries, once
            s.acceptedTokens.add("Bearer fresh-3");
            s.authErrorOnce = true;
            s.preload("k", false);
            c.load("k");
            assertEquals(3, idp.requests.size());
            assertEquals("k", s.loaded);

            // a second refusal after the refresh is an error, not a loop
            s.acceptedTokens.clear();
            ServerException e = assertThrows(ServerException.class, () -> c.unload("k"));
            assertEquals(Optional.of("UNAUTHENTICATED"), e.grpcStatus());
            assertEquals(4, idp.requests.size()); // one refresh (fresh-4, refused too), no second retry
            assertFalse(e.getMessage().contains("fresh-4"));

            // a token endpoint that refuses the refresh is one line without any token
            s.acceptedTokens.clear();
            KeygenException refused = assertThrows(KeygenException.class, () -> c.unload("k"));
            assertEquals(KeygenException.Kind.STORE, refused.kind());
            assertEquals("OAuth2 token refresh at " + idp.tokenUri() + " failed: HTTP 400", refused.getMessage());
        }
    }

    @Test
    void aTokenEndpointNamedDirectlyWorksWithoutDiscovery() throws Exception {
        FakeEnvectorServer s = server(true, false);
        s.requireToken = true;
        s.acceptedTokens.add("Bearer fresh-1");
        try (FakeTokenEndpoint idp = new FakeTokenEndpoint("r0", "fresh-1")) {
            ServerAuth auth = ServerAuth.oauth2(idp.tokenUri(), false, "evkeygen-test", "client-secret", null, "r0");
            client(s, ServerApi.V2);
            EnvectorClient c = track(EnvectorClient.builder(s.address()).insecure().auth(auth).build());
            c.listKeys();
            assertEquals("client-secret", idp.requests.get(0).get("client_secret"));
            assertFalse(idp.requests.get(0).containsKey("scope"));
        }
    }

    @Test
    void aServerThatNeverAnswersHitsTheDeadline() throws Exception {
        FakeEnvectorServer s = server(true, true);
        s.neverAnswer = true;
        EnvectorClient c = track(EnvectorClient.builder(s.address()).insecure().callTimeout(Duration.ofMillis(400))
                .registerTimeout(Duration.ofMillis(800)).api(ServerApi.V2).build());
        long t0 = System.nanoTime();
        ServerException e = assertThrows(ServerException.class, c::listKeys);
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
        assertEquals("get_key_list to " + s.address() + ": no answer within 0.4 s (deadline exceeded)", e.getMessage());
        ServerException r = assertThrows(ServerException.class,
                () -> c.register(EvalKeyPayload.fromDirectory(small), UploadProgress.NONE));
        assertEquals(Optional.of("DEADLINE_EXCEEDED"), r.grpcStatus());
    }

    @Test
    void deadlinesAreMoreThanZeroAndAtMostADayForCallsAndAWeekForUploads() {
        EnvectorClient.Builder b = EnvectorClient.builder("127.0.0.1:1");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofDays(1).plusNanos(1),
                java.time.temporal.ChronoUnit.FOREVER.getDuration())) {
            KeygenException e = assertThrows(KeygenException.class, () -> b.callTimeout(bad), bad.toString());
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertTrue(e.getMessage().startsWith("the call timeout must be more than 0 and at most 1 day"), e.getMessage());
        }
        assertThrows(KeygenException.class, () -> b.callTimeout(null));
        KeygenException upload = assertThrows(KeygenException.class, () -> b.registerTimeout(Duration.ofDays(8)));
        assertTrue(upload.getMessage().startsWith("the register timeout must be more than 0 and at most 7 days"));
        b.callTimeout(Duration.ofNanos(1)).callTimeout(Duration.ofDays(1)).registerTimeout(Duration.ofDays(7));
    }

    @Test
    void connectionRefusedIsOneClearLine() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        EnvectorClient c = track(EnvectorClient.builder("127.0.0.1:" + port).insecure().build());
        ServerException e = assertThrows(ServerException.class, c::listKeys);
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused (is the server running?)", e.getMessage());
    }

    @Test
    void tlsWithATestCaWorksAndAnUntrustedCertificateIsATlsFailure(@TempDir Path tmp) throws Exception {
        TestCerts certs = TestCerts.create(tmp);
        FakeEnvectorServer s = track(FakeEnvectorServer.tls(certs.serverCredentials()));
        EnvectorClient trusted = track(EnvectorClient.builder(s.address()).caCert(certs.caPem).build());
        trusted.register(EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
        assertTrue(s.keys.containsKey("small"));
        assertEquals(List.of(), s.violations);

        EnvectorClient system = track(EnvectorClient.builder(s.address()).build()); // system trust store
        ServerException e = assertThrows(ServerException.class, system::listKeys);
        assertTrue(e.getMessage().startsWith("TLS handshake with " + s.address() + " failed"), e.getMessage());

        EnvectorClient plain = track(EnvectorClient.builder(s.address()).insecure().build());
        ServerException p = assertThrows(ServerException.class, plain::listKeys);
        assertEquals(KeygenException.Kind.STORE, p.kind());

        KeygenException missing = assertThrows(KeygenException.class,
                () -> EnvectorClient.builder(s.address()).caCert(certs.serverKey.resolveSibling("nope.pem")).build());
        assertEquals(KeygenException.Kind.USAGE, missing.kind());
        KeygenException notPem = assertThrows(KeygenException.class,
                () -> EnvectorClient.builder(s.address()).caCert(certs.serverKey).build()); // a key, no certificate
        assertEquals(KeygenException.Kind.USAGE, notPem.kind());
        assertEquals("CA certificate " + certs.serverKey + " is not a PEM certificate", notPem.getMessage());
    }

    @Test
    void addressesAreCheckedBeforeAnyConnection() {
        for (String bad : List.of("", "localhost", "localhost:", "localhost:0", "localhost:70000", "a:b:c", ":443")) {
            KeygenException e = assertThrows(KeygenException.class, () -> EnvectorClient.builder(bad));
            assertEquals(KeygenException.Kind.USAGE, e.kind(), bad);
        }
        EnvectorClient.builder("[::1]:5000");
    }

    @Test
    void plaintextToAHostThatIsNotLoopbackIsRefusedUnlessAllowedAndThenWarned() throws Exception {
        for (String address : List.of("10.1.2.3:50051", "envector.example.com:50051", "[fe80::1]:50051", "127.1:50051")) {
            KeygenException e = assertThrows(KeygenException.class, () -> EnvectorClient.builder(address).insecure().build());
            assertEquals(KeygenException.Kind.USAGE, e.kind());
            assertEquals(Optional.of(KeygenException.Setting.PLAINTEXT_REMOTE), e.setting());
            assertTrue(e.getMessage().contains("not a loopback address, would send the bearer token"), e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        track(EnvectorClient.builder("10.1.2.3:50051").insecure().allowPlaintextRemote(true).warnings(warnings::add).build());
        assertEquals(List.of("plaintext to 10.1.2.3:50051, which is not a loopback address, sends the bearer token and"
                + " the EvalKeys in clear"), warnings);

        // loopback by its spelling, and TLS to anywhere, need no permission and give no warning
        for (String address : List.of("localhost:50051", "127.0.0.9:50051", "[::1]:50051")) {
            track(EnvectorClient.builder(address).insecure().warnings(warnings::add).build());
        }
        track(EnvectorClient.builder("10.1.2.3:50051").warnings(warnings::add).build());
        assertEquals(1, warnings.size());
    }

    /** A token endpoint that trickles its answer is cut off at the client's call deadline, not waited for. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the deadline it waits for ever
    void aTricklingTokenEndpointFailsAtTheCallDeadline() throws Exception {
        FakeEnvectorServer s = server(true, false);
        s.requireToken = true;
        try (FakeTricklingServer idp = new FakeTricklingServer()) {
            ServerAuth auth = ServerAuth.oauth2(idp.uri().resolve("/token"), false, "c", null, null, "r0");
            EnvectorClient c = track(EnvectorClient.builder(s.address()).insecure().auth(auth)
                    .callTimeout(Duration.ofSeconds(1)).build());
            long start = System.nanoTime();
            KeygenException e = assertThrows(KeygenException.class, c::listKeys);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(KeygenException.Kind.STORE, e.kind());
            assertTrue(e.getMessage().endsWith("failed: no complete answer within 1.0 s"), e.getMessage());
            assertTrue(ms < 20_000, ms + " ms");
        }
    }

    /** The OAuth2 endpoint carries the refresh token and client secret: the same plaintext rule as the server. */
    @Test
    void aPlaintextOAuth2EndpointOnAnotherHostIsRefusedUnlessAllowedAndThenWarned() {
        ServerAuth remote = ServerAuth.oauth2(URI.create("http://idp.example.com/token"), false, "c", "s", null, "r0");
        KeygenException e = assertThrows(KeygenException.class,
                () -> EnvectorClient.builder("localhost:50051").auth(remote).build());
        assertEquals(KeygenException.Kind.USAGE, e.kind());
        assertEquals(Optional.of(KeygenException.Setting.PLAINTEXT_REMOTE), e.setting());
        assertTrue(e.getMessage().startsWith("OAuth2 endpoint http://idp.example.com/token is plaintext"), e.getMessage());
        List<String> warnings = new ArrayList<>();
        track(EnvectorClient.builder("localhost:50051").auth(remote).allowPlaintextRemote(true)
                .warnings(warnings::add).build());
        assertEquals(1, warnings.size(), warnings.toString());
        // TLS anywhere, and plaintext to this machine, need no permission
        track(EnvectorClient.builder("localhost:50051").warnings(warnings::add)
                .auth(ServerAuth.oauth2(URI.create("https://idp.example.com/token"), false, "c", null, null, "r")).build());
        track(EnvectorClient.builder("localhost:50051").warnings(warnings::add)
                .auth(ServerAuth.oauth2(URI.create("http://127.0.0.1:8080/token"), false, "c", null, null, "r")).build());
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void activateRegistersUnloadsTheOthersAndLoadsThenOnlyLoads() throws Exception {
        for (ServerApi api : List.of(ServerApi.V2, ServerApi.ES2E)) {
            FakeEnvectorServer s = server(api == ServerApi.V2, true);
            s.preload("old-a", true);
            s.preload("old-b", false);
            EnvectorClient c = client(s, ServerApi.AUTO);
            ActivationReport first = c.activate("small", EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
            assertTrue(first.registered());
            assertTrue(first.loaded());
            assertEquals(List.of("old-a", "old-b"), first.unloaded());
            assertEquals(api, first.api());
            assertEquals("small", s.loaded);

            s.calls.clear();
            s.loaded = null; // someone unloaded it
            ActivationReport second = c.activate("small", EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
            assertFalse(second.registered());
            assertTrue(second.loaded());
            assertEquals("small", s.loaded);
            assertTrue(s.calls.stream().noneMatch(x -> x.contains("register_key")), s.calls.toString());
            assertTrue(s.calls.contains(api.label() + "/load_key small"), s.calls.toString());

            s.calls.clear();
            ActivationReport third = c.activate("small", EvalKeyPayload.fromDirectory(small), UploadProgress.NONE);
            assertEquals(api == ServerApi.ES2E, third.loaded()); // v2: get_key_info says loaded, load skipped
            assertEquals(List.of(), s.violations);
        }
    }

    @Test
    void registeringUnderAnotherIdThanTheEnvelopesIsRefused() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.V2);
        KeygenException e = assertThrows(KeygenException.class,
                () -> c.activate("other", EvalKeyPayload.fromDirectory(small), UploadProgress.NONE));
        assertEquals(KeygenException.Kind.INVALID_KEY, e.kind());
        assertTrue(s.keys.isEmpty());
    }

    @Test
    void registersFromAKeyStoreStreamed() throws Exception {
        FakeEnvectorServer s = server(true, true);
        EnvectorClient c = client(s, ServerApi.V2);
        var store = KeyStores.local(keys);
        c.register(EvalKeyPayload.fromStore(store, "large"), UploadProgress.NONE);
        assertArrayEquals(evalKeyBin(large), s.keys.get("large").payload());
        assertEquals(Map.of(), Map.of());
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not met within 5 s");
    }
}
