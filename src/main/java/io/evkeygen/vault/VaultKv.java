package io.evkeygen.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.StoreAccess;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Vault's KV secrets engine (version 1 or 2) over its HTTP API, on the JDK's HTTP client. Writes
 * never replace: KV v2 writes with {@code cas=0} (Vault refuses when the path holds a version), KV v1
 * (no check-and-set) checks first. Tokens and values never reach a message or a log.
 */
final class VaultKv {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Vault error response: the status and Vault's first error text. */
    static final class VaultError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        /** No complete answer within the request deadline. */
        final boolean timedOut;

        VaultError(int status, String message) {
            this(status, message, false);
        }

        VaultError(int status, String message, boolean timedOut) {
            super(message);
            this.status = status;
            this.timedOut = timedOut;
        }
    }

    private final VaultStoreConfig config;
    private final HttpClient http;
    private final String base;

    VaultKv(VaultStoreConfig config) {
        this.config = config;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(config.access().atMost(Duration.ofSeconds(10)))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.caCert() != null) {
            b.sslContext(trusting(config));
        }
        this.http = b.build();
        String a = config.address().toString();
        this.base = (a.endsWith("/") ? a.substring(0, a.length() - 1) : a) + "/v1/" + encodePath(config.mount()) + "/";
    }

    /** Writes {@code {"value": text}} at {@code path}; false when the path already holds a secret. */
    boolean create(String path, String text) throws IOException {
        ObjectNode data = JSON.createObjectNode().put(VaultLayout.FIELD, text);
        if (config.kvVersion() == 2) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("options").put("cas", 0);
            body.set("data", data);
            HttpResponse<byte[]> r = send("POST", "data/" + encodePath(path), JSON.writeValueAsBytes(body));
            if (r.statusCode() == 400 && errorText(r).contains("check-and-set")) {
                return false;
            }
            check(r);
            return true;
        }
        if (exists(path)) {
            return false;
        }
        check(send("POST", encodePath(path), JSON.writeValueAsBytes(data)));
        return true;
    }

    /** The envelope text at {@code path}, or null when there is none. */
    String read(String path) throws IOException {
        HttpResponse<byte[]> r = send("GET", (config.kvVersion() == 2 ? "data/" : "") + encodePath(path), null);
        if (r.statusCode() == 404) {
            return null;
        }
        check(r);
        JsonNode root = JSON.readTree(r.body());
        Arrays.fill(r.body(), (byte) 0);
        JsonNode data = config.kvVersion() == 2 ? root.path("data").path("data") : root.path("data");
        JsonNode v = data.get(VaultLayout.FIELD);
        if (v == null || !v.isTextual()) {
            throw new KeygenException(KeygenException.Kind.STORE, "Vault secret " + config.mount() + "/" + path
                    + " has no text field '" + VaultLayout.FIELD + "'");
        }
        return v.asText();
    }

    /** Whether a live secret is at {@code path} (KV v2: its metadata, so the value is not read). */
    boolean exists(String path) throws IOException {
        if (config.kvVersion() == 1) {
            HttpResponse<byte[]> r = send("GET", encodePath(path), null);
            Arrays.fill(r.body(), (byte) 0);
            if (r.statusCode() == 404) {
                return false;
            }
            check(r);
            return true;
        }
        HttpResponse<byte[]> r = send("GET", "metadata/" + encodePath(path), null);
        if (r.statusCode() == 404) {
            return false;
        }
        check(r);
        JsonNode d = JSON.readTree(r.body()).path("data");
        JsonNode current = d.path("versions").path(d.path("current_version").asText());
        return !current.isMissingNode() && current.path("deletion_time").asText("").isEmpty()
                && !current.path("destroyed").asBoolean(false);
    }

    /** Removes the secret and, on KV v2, every version and its metadata; a missing path is fine. */
    void delete(String path) throws IOException {
        HttpResponse<byte[]> r = send("DELETE", (config.kvVersion() == 2 ? "metadata/" : "") + encodePath(path), null);
        if (r.statusCode() != 404) {
            check(r);
        }
    }

    /** The child names under {@code folder/} (folders end with '/'), empty when there are none. */
    List<String> list(String folder) throws IOException {
        HttpResponse<byte[]> r = send("GET", (config.kvVersion() == 2 ? "metadata/" : "") + encodePath(folder) + "/?list=true", null);
        if (r.statusCode() == 404) {
            return List.of();
        }
        check(r);
        List<String> keys = new ArrayList<>();
        JSON.readTree(r.body()).path("data").path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    /** What a request is, for messages: {@code <address>/v1/<mount>/...} without query. */
    String url(String path) {
        return base + (config.kvVersion() == 2 ? "data/" : "") + path;
    }

    /**
     * One request with an overall deadline: {@link HttpRequest#timeout} ends when the headers arrive,
     * so the whole exchange, body included, is awaited with the deadline too (a server that trickles
     * its body cannot hold the caller). Every failure to get an answer is a {@link VaultError}.
     */
    private HttpResponse<byte[]> send(String method, String rel, byte[] body) throws IOException {
        Duration timeout = config.access().callTimeout();
        try {
            CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request(method, rel, body, timeout),
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw timedOut(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException e) {
                throw failed(e.getCause(), timeout);
            } finally {
                call.cancel(true); // ends the exchange when it is still running
            }
        } finally {
            if (body != null) {
                Arrays.fill(body, (byte) 0);
            }
        }
    }

    private HttpRequest request(String method, String rel, byte[] body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + rel)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            b.header("X-Vault-Token", new String(config.token().reveal(), StandardCharsets.UTF_8))
                    .header("X-Vault-Request", "true");
            if (config.namespace() != null) {
                b.header("X-Vault-Namespace", config.namespace());
            }
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the header value: neither it nor the exception may go further
            throw new VaultError(-1, "the Vault token or namespace cannot be sent as an HTTP header");
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.build();
    }

    private VaultError failed(Throwable cause, Duration timeout) {
        if (cause instanceof HttpTimeoutException) {
            return timedOut(timeout);
        }
        if (cause instanceof ConnectException) {
            return new VaultError(-1, "cannot connect to " + config.address() + " (is Vault running there?)");
        }
        if (cause instanceof SSLException) {
            return new VaultError(-1, "TLS handshake with " + config.address() + " failed: " + cause.getMessage()
                    + " (a private CA: VAULT_CACERT)");
        }
        String msg = cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        return new VaultError(-1, "request to " + config.address() + " failed: " + cause.getClass().getSimpleName() + msg);
    }

    private VaultError timedOut(Duration timeout) {
        return new VaultError(-1, "no complete answer from " + config.address() + " within "
                + StoreAccess.seconds(timeout), true);
    }

    private static void check(HttpResponse<byte[]> r) {
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return;
        }
        String text = errorText(r);
        throw new VaultError(s, (text.isEmpty() ? "" : text + " ") + "(HTTP " + s + ")");
    }

    /** Vault's {@code errors[0]}, first line, or "". */
    private static String errorText(HttpResponse<byte[]> r) {
        try {
            JsonNode errs = JSON.readTree(r.body()).path("errors");
            String t = errs.isArray() && errs.size() > 0 ? errs.get(0).asText("") : "";
            int nl = t.indexOf('\n');
            return (nl < 0 ? t : t.substring(0, nl)).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Percent-encodes each segment of a slash-separated path. */
    static String encodePath(String path) {
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/", -1)) {
            out.add(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", out);
    }

    private static SSLContext trusting(VaultStoreConfig c) {
        try (InputStream in = Files.newInputStream(c.caCert())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) {
                throw KeygenException.usage(KeygenException.Setting.VAULT, "VAULT_CACERT " + c.caCert() + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw KeygenException.usage(KeygenException.Setting.VAULT, "cannot read the CA certificates in VAULT_CACERT "
                    + c.caCert() + ": " + e.getMessage());
        }
    }
}
