package io.evkeygen.kms;

import io.evkeygen.KeySet;
import io.evkeygen.KeyStores;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.server.TestCerts;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A real {@link KmsServer} on loopback (plaintext, or TLS from {@link TestCerts}) over a local key
 * path with an AES master key, and real {@link KmsClient}s to it. The tokens file names alice (every
 * key id) and bob (key ids starting {@code team-}), as {@code kms add-token} writes it: hashes only.
 */
final class KmsInProcess implements AutoCloseable {
    static final String ALICE = "alice-e2e-token-0123456789";
    static final String BOB = "bob-e2e-token-0123456789";
    static final byte[] MASTER = SealTestKeys.kek(23);

    final Path keyPath;
    final Path tokens;
    final KekProvider master = KekProvider.aes(MASTER);
    final StringBuffer audit = new StringBuffer();
    final KmsServer server;
    private final TestCerts certs;

    /**
     * @param certs TLS from this test CA; null: plaintext
     * @param dims  the server's dims; null: its default
     */
    KmsInProcess(Path dir, TestCerts certs, List<Integer> dims, int maxK) throws Exception {
        this.certs = certs;
        keyPath = dir.resolve("keys");
        tokens = dir.resolve("tokens");
        Files.writeString(tokens, "alice * " + sha256Hex(ALICE) + "\nbob team- " + sha256Hex(BOB) + "\n");
        KmsServer.Builder b = KmsServer.builder().listen(certs == null ? "127.0.0.1" : "localhost", 0)
                .store(KeyStores.local(keyPath), keyPath).master(master).tokens(tokens).maxK(maxK)
                .audit(line -> audit.append(line).append('\n'));
        if (certs == null) {
            b.plaintext();
        } else {
            b.tls(certs.serverPem, certs.serverKey);
        }
        if (dims != null) {
            b.dims(dims);
        }
        server = b.build().start();
    }

    static KmsInProcess plaintext(Path dir, List<Integer> dims) throws Exception {
        return new KmsInProcess(dir, null, dims, KmsServer.DEFAULT_MAX_K);
    }

    String address() {
        return (certs == null ? "127.0.0.1" : "localhost") + ":" + server.port();
    }

    /** A client with {@code token} (null: none), trusting the test CA when the server has TLS. */
    KmsClient client(String token) {
        KmsClient.Builder b = KmsClient.builder(address()).callTimeout(Duration.ofSeconds(60))
                .auth(token == null ? ServerAuth.none() : ServerAuth.token(token));
        return (certs == null ? b.insecure() : b.caCert(certs.caPem)).build();
    }

    /** The set as the KMS stores it, opened with the master key. */
    KeySet stored(String keyId) throws IOException {
        return KeySet.load(keyPath.resolve(keyId), master);
    }

    Path file(String keyId, String name) {
        return keyPath.resolve(keyId).resolve(name);
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.shutdown(Duration.ofSeconds(5));
        master.close();
    }
}
