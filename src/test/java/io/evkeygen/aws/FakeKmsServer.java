package io.evkeygen.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A FAKE AWS KMS for tests: a loopback HTTP server speaking the AWS JSON 1.1 protocol
 * ({@code X-Amz-Target: TrentService.GenerateDataKey / TrentService.Decrypt}) with the realistic
 * errors the SDK maps to exceptions (NotFoundException, InvalidCiphertextException,
 * IncorrectKeyException, ValidationException). Not a real KMS: its ciphertext blob is
 * {@code u16 arnLength || arn || iv || AES-GCM(master key, iv, aad = encryption context, data key)}.
 */
public final class FakeKmsServer implements AutoCloseable {
    static final String ACCOUNT = "111122223333";
    static final String REGION = "us-east-1";

    private final HttpServer server;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    /** ARN to master key. */
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();
    /** Alias name to ARN. */
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    public final AtomicInteger generateCalls = new AtomicInteger();
    public final AtomicInteger decryptCalls = new AtomicInteger();

    public FakeKmsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Creates a key (and an alias for it); returns its ARN. */
    public String createKey(String keyId, String alias) {
        String arn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + keyId;
        byte[] master = new byte[32];
        random.nextBytes(master);
        keys.put(arn, master);
        if (alias != null) {
            aliases.put(alias, arn);
        }
        return arn;
    }

    /** Key id, ARN, alias name or alias ARN to the key ARN, or null. */
    private String resolve(String id) {
        if (id == null) {
            return null;
        }
        if (keys.containsKey(id)) {
            return id;
        }
        String keyArn = "arn:aws:kms:" + REGION + ":" + ACCOUNT + ":key/" + id;
        if (keys.containsKey(keyArn)) {
            return keyArn;
        }
        String alias = id.startsWith("arn:") && id.contains(":alias/") ? id.substring(id.indexOf(":alias/") + 1) : id;
        return aliases.get(alias);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (!"POST".equals(ex.getRequestMethod()) || type == null || !type.startsWith("application/x-amz-json-1.1")) {
                error(ex, 400, "SerializationException", "expected a POST of application/x-amz-json-1.1");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
                error(ex, 400, "MissingAuthenticationTokenException", "Request is missing Authentication Token");
                return;
            }
            JsonNode body = json.readTree(ex.getRequestBody().readAllBytes());
            if ("TrentService.GenerateDataKey".equals(target)) {
                generateDataKey(ex, body);
            } else if ("TrentService.Decrypt".equals(target)) {
                decrypt(ex, body);
            } else {
                error(ex, 400, "UnknownOperationException", "unsupported operation " + target);
            }
        } catch (RuntimeException | GeneralSecurityException e) {
            error(ex, 500, "KMSInternalException", e.getClass().getSimpleName());
        }
    }

    private void generateDataKey(HttpExchange ex, JsonNode body) throws IOException, GeneralSecurityException {
        generateCalls.incrementAndGet();
        String arn = resolve(text(body, "KeyId"));
        if (arn == null) {
            error(ex, 400, "NotFoundException", "Key '" + text(body, "KeyId") + "' does not exist");
            return;
        }
        if (!"AES_256".equals(text(body, "KeySpec"))) {
            error(ex, 400, "ValidationException", "KeySpec must be AES_256 in this fake");
            return;
        }
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] sealed = gcm(Cipher.ENCRYPT_MODE, keys.get(arn), iv, context(body), dataKey);
        byte[] arnBytes = arn.getBytes(StandardCharsets.UTF_8);
        ByteBuffer blob = ByteBuffer.allocate(2 + arnBytes.length + 12 + sealed.length);
        blob.putShort((short) arnBytes.length).put(arnBytes).put(iv).put(sealed);
        ObjectNode out = json.createObjectNode();
        out.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob.array()));
        out.put("Plaintext", Base64.getEncoder().encodeToString(dataKey));
        out.put("KeyId", arn);
        reply(ex, 200, out);
    }

    private void decrypt(HttpExchange ex, JsonNode body) throws IOException {
        decryptCalls.incrementAndGet();
        byte[] blob;
        String arn;
        byte[] iv;
        byte[] sealed;
        try {
            ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(text(body, "CiphertextBlob")));
            byte[] arnBytes = new byte[b.getShort()];
            b.get(arnBytes);
            arn = new String(arnBytes, StandardCharsets.UTF_8);
            iv = new byte[12];
            b.get(iv);
            sealed = new byte[b.remaining()];
            b.get(sealed);
        } catch (RuntimeException e) {
            error(ex, 400, "InvalidCiphertextException", null);
            return;
        }
        if (!keys.containsKey(arn)) {
            error(ex, 400, "InvalidCiphertextException", null);
            return;
        }
        String requested = text(body, "KeyId");
        if (requested != null) {
            String r = resolve(requested);
            if (r == null) {
                error(ex, 400, "NotFoundException", "Key '" + requested + "' does not exist");
                return;
            }
            if (!r.equals(arn)) {
                error(ex, 400, "IncorrectKeyException",
                        "The key ID in the request does not identify a KMS key that can perform this operation.");
                return;
            }
        }
        byte[] dataKey;
        try {
            dataKey = gcm(Cipher.DECRYPT_MODE, keys.get(arn), iv, context(body), sealed);
        } catch (GeneralSecurityException e) {
            // wrong encryption context or tampered blob: KMS says nothing more
            error(ex, 400, "InvalidCiphertextException", null);
            return;
        }
        ObjectNode out = json.createObjectNode();
        out.put("Plaintext", Base64.getEncoder().encodeToString(dataKey));
        out.put("KeyId", arn);
        out.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
        reply(ex, 200, out);
    }

    /** The encryption context, canonical (sorted), as GCM associated data. */
    private static byte[] context(JsonNode body) {
        Map<String, String> ctx = new TreeMap<>();
        JsonNode c = body.get("EncryptionContext");
        if (c != null) {
            c.fields().forEachRemaining(e -> ctx.put(e.getKey(), e.getValue().asText()));
        }
        return ctx.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    private void error(HttpExchange ex, int status, String type, String message) throws IOException {
        ObjectNode out = json.createObjectNode();
        out.put("__type", type);
        if (message != null) {
            out.put("message", message);
        }
        reply(ex, status, out);
    }

    private void reply(HttpExchange ex, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
