package io.evkeygen.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Requests to one Vault mount over its HTTP API on the JDK's HTTP client, each within a deadline
 * (body included), with the token and namespace headers; what the KV store and the Transit master key
 * share. The token and request bodies never reach a message or a log; bodies are zeroed once sent.
 */
final class VaultHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A Vault error response, or no answer: the status (-1 without one) and Vault's first error text. */
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

    /** A request, or several, that may fail with a {@link VaultError} or an I/O error. */
    interface Call<T> {
        T run() throws IOException;
    }

    /** Vault's answer or a STORE error (exit 7) with its text; a request past its deadline names --store_timeout. */
    static <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (VaultError e) {
            throw new KeygenException(KeygenException.Kind.STORE, e.getMessage(),
                    e.timedOut ? KeygenException.Setting.STORE_TIMEOUT : null, e);
        } catch (IOException e) {
            throw new KeygenException(KeygenException.Kind.STORE, e.getClass().getSimpleName() + ": "
                    + e.getMessage(), null, e);
        }
    }

    private final VaultConnection connection;
    private final StoreAccess access;
    private final HttpClient http;
    private final String base;

    VaultHttp(VaultConnection connection, StoreAccess access, String mount) {
        this.connection = connection;
        this.access = StoreAccess.orDefault(access);
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(this.access.atMost(Duration.ofSeconds(10)))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (connection.caCert() != null) {
            b.sslContext(trusting(connection));
        }
        this.http = b.build();
        String a = connection.address().toString();
        this.base = (a.endsWith("/") ? a.substring(0, a.length() - 1) : a) + "/v1/" + encodePath(mount) + "/";
    }

    /** {@code <address>/v1/<mount>/}. */
    String base() {
        return base;
    }

    /**
     * One request with an overall deadline: {@link HttpRequest#timeout} ends when the headers arrive,
     * so the whole exchange, body included, is awaited with the deadline too (a server that trickles
     * its body cannot hold the caller). Every failure to get an answer is a {@link VaultError}.
     */
    HttpResponse<byte[]> send(String method, String rel, byte[] body) throws IOException {
        Duration timeout = access.callTimeout();
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
            b.header("X-Vault-Token", new String(connection.token().reveal(), StandardCharsets.UTF_8))
                    .header("X-Vault-Request", "true");
            if (connection.namespace() != null) {
                b.header("X-Vault-Namespace", connection.namespace());
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
        URI address = connection.address();
        if (cause instanceof HttpTimeoutException) {
            return timedOut(timeout);
        }
        if (cause instanceof ConnectException) {
            return new VaultError(-1, "cannot connect to " + address + " (is Vault running there?)");
        }
        if (cause instanceof SSLException) {
            return new VaultError(-1, "TLS handshake with " + address + " failed: " + cause.getMessage()
                    + " (a private CA: VAULT_CACERT)");
        }
        String msg = cause.getMessage() == null ? "" : ": " + cause.getMessage().lines().findFirst().orElse("");
        return new VaultError(-1, "request to " + address + " failed: " + cause.getClass().getSimpleName() + msg);
    }

    private VaultError timedOut(Duration timeout) {
        return new VaultError(-1, "no complete answer from " + connection.address() + " within "
                + StoreAccess.seconds(timeout), true);
    }

    /** Returns when the status is 2xx; a {@link VaultError} with Vault's text otherwise. */
    static void check(HttpResponse<byte[]> r) {
        int s = r.statusCode();
        if (s >= 200 && s < 300) {
            return;
        }
        String text = errorText(r);
        throw new VaultError(s, (text.isEmpty() ? "" : text + " ") + "(HTTP " + s + ")");
    }

    /** Vault's {@code errors[0]}, first line, or "". */
    static String errorText(HttpResponse<byte[]> r) {
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

    private static SSLContext trusting(VaultConnection c) {
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
