package io.evkeygen.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.Deadlines;
import io.evkeygen.spi.remote.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * How calls authenticate: no token, a static bearer token, or an OAuth2 refresh token that yields
 * access tokens (SERVER-KEYS.md, "Auth refresh"). Tokens never appear in messages or in
 * {@link #toString()}.
 *
 * <p>A bearer token must be RFC 6750's {@code b64token} (token68): letters, digits and
 * {@code -._~+/}, then {@code =} padding. Anything else (a control character, a space) would be
 * dropped from the call by gRPC, which then goes out unauthenticated, and logged by it with the
 * token's bytes; such a token is refused when it is read, with a message that quotes none of it.
 */
public abstract class ServerAuth {
    /** The environment variable a static token may come from. */
    public static final String TOKEN_ENV = "ENVECTOR_ACCESS_TOKEN";
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private ServerAuth() {}

    /** The bearer token to send now, or null for none. */
    abstract String bearer() throws IOException;

    /** Whether {@link #refresh()} can obtain a new token (OAuth2 mode). */
    abstract boolean refreshable();

    /** Obtains a new access token (OAuth2 mode); a no-op otherwise. */
    void refresh() throws IOException {}

    /** Calls carry no authorization entry. */
    public static ServerAuth none() {
        return new Static(null);
    }

    /**
     * Every call carries {@code authorization: Bearer <token>}.
     *
     * @throws KeygenException (usage) unless {@code token}, one line end at its end aside, is an
     *                         RFC 6750 bearer token
     */
    public static ServerAuth token(String token) {
        return token(token, "the access token");
    }

    /**
     * As {@link #token(String)}; an error names {@code source} (a file, a variable: where the
     * token came from), never the token.
     */
    public static ServerAuth token(String token, String source) {
        return new Static(bearerToken(token, source));
    }

    /** A static token read from {@code file}: its content, one line end at its end aside. */
    public static ServerAuth tokenFile(Path file) throws IOException {
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw KeygenException.usage("token file " + file + " does not exist");
        }
        // each byte one character: a byte outside ASCII is refused as not token68, never decoded
        return token(new String(text, StandardCharsets.ISO_8859_1), "token file " + file);
    }

    /** The token in {@value #TOKEN_ENV} when it is set and not blank, else no token. */
    public static ServerAuth fromEnvironment() {
        String t = System.getenv(TOKEN_ENV);
        return t == null || t.isBlank() ? none() : token(t, TOKEN_ENV);
    }

    /** {@code text} without one line end at its end, refused unless it is token68. */
    private static String bearerToken(String text, String source) {
        String t = text == null ? "" : text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (t.isEmpty()) {
            throw KeygenException.usage(source + " is empty");
        }
        if (!isBearerToken(t)) {
            throw KeygenException.usage(source + " does not hold an RFC 6750 bearer token (only letters, digits,"
                    + " -._~+/ and trailing =, on one line)");
        }
        return t;
    }

    private static boolean isBearerToken(String t) {
        return TOKEN68.matcher(t).matches();
    }

    /**
     * OAuth2 refresh-token mode: access tokens come from {@code tokenEndpoint} (a form POST with
     * {@code grant_type=refresh_token}); a rotated refresh token is adopted. A call refused as
     * unauthenticated is retried once after a refresh.
     *
     * @param tokenEndpoint the token endpoint, or an OIDC issuer (its
     *                      {@code /.well-known/openid-configuration} names the endpoint) when
     *                      {@code isIssuer}
     * @param clientSecret  may be null
     * @param scope         may be null
     */
    public static ServerAuth oauth2(URI tokenEndpoint, boolean isIssuer, String clientId, String clientSecret,
                                    String scope, String refreshToken) {
        if (clientId == null || clientId.isBlank()) {
            throw KeygenException.usage("OAuth2 refresh needs a client id");
        }
        if (refreshToken == null || refreshToken.isBlank()) {
            throw KeygenException.usage("OAuth2 refresh needs a refresh token");
        }
        return new OAuth2(tokenEndpoint, isIssuer, clientId, clientSecret, scope, refreshToken.strip());
    }

    /**
     * The client's rules for what this auth reaches besides the server (an OAuth2 token endpoint):
     * plaintext to a host that is not this machine is refused unless {@code allowed}, then warned;
     * each exchange must finish within {@code deadline}. Called once by
     * {@link EnvectorClient.Builder#build()}.
     */
    void clientRules(boolean allowed, Consumer<String> warnings, Duration deadline) {
    }

    @Override
    public String toString() {
        return "ServerAuth[redacted]";
    }

    private static final class Static extends ServerAuth {
        private final String token;

        Static(String token) {
            this.token = token;
        }

        @Override
        String bearer() {
            return token;
        }

        @Override
        boolean refreshable() {
            return false;
        }

        @Override
        public String toString() {
            return token == null ? "ServerAuth[none]" : "ServerAuth[bearer, redacted]";
        }
    }

    private static final class OAuth2 extends ServerAuth {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final URI endpointOrIssuer;
        private final boolean isIssuer;
        private final String clientId;
        private final String clientSecret;
        private final String scope;
        private String refreshToken;
        private String accessToken;
        private URI tokenEndpoint;
        private boolean plaintextAllowed;
        private Consumer<String> warnings = w -> { };
        private Duration deadline = Duration.ofSeconds(30);

        OAuth2(URI endpointOrIssuer, boolean isIssuer, String clientId, String clientSecret, String scope,
               String refreshToken) {
            this.endpointOrIssuer = endpointOrIssuer;
            this.isIssuer = isIssuer;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.scope = scope;
            this.refreshToken = refreshToken;
        }

        @Override
        synchronized String bearer() throws IOException {
            if (accessToken == null) {
                refresh();
            }
            return accessToken;
        }

        @Override
        boolean refreshable() {
            return true;
        }

        @Override
        synchronized void clientRules(boolean allowed, Consumer<String> sink, Duration callDeadline) {
            plaintextAllowed = allowed;
            warnings = sink;
            deadline = callDeadline;
            checkPlaintext(endpointOrIssuer);
        }

        /** The refresh token and client secret travel to {@code uri}: TLS, or plaintext to this machine only. */
        private void checkPlaintext(URI uri) {
            if (!"http".equalsIgnoreCase(uri.getScheme()) || Loopback.isLoopback(uri.getHost())) {
                return;
            }
            String what = "OAuth2 endpoint " + uri + " is plaintext to a host that is not this machine:";
            if (!plaintextAllowed) {
                throw KeygenException.usage(KeygenException.Setting.PLAINTEXT_REMOTE, what + " the refresh token and"
                        + " client secret would travel in clear; use https://, or allow plaintext explicitly");
            }
            warnings.accept(what + " the refresh token and client secret travel in clear");
        }

        @Override
        synchronized void refresh() throws IOException {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", refreshToken);
            form.put("client_id", clientId);
            if (clientSecret != null && !clientSecret.isEmpty()) {
                form.put("client_secret", clientSecret);
            }
            if (scope != null && !scope.isEmpty()) {
                form.put("scope", scope);
            }
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                    .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            URI endpoint = endpoint();
            JsonNode answer = exchange(endpoint, "POST", body.toString());
            JsonNode access = answer.get("access_token");
            if (access == null || !access.isTextual() || access.asText().isEmpty()) {
                throw refused(endpoint, "its answer has no access_token");
            }
            if (!isBearerToken(access.asText())) {
                throw refused(endpoint, "its access_token is not an RFC 6750 bearer token");
            }
            accessToken = access.asText();
            JsonNode rotated = answer.get("refresh_token");
            if (rotated != null && rotated.isTextual() && !rotated.asText().isEmpty()) {
                refreshToken = rotated.asText();
            }
        }

        private URI endpoint() throws IOException {
            if (tokenEndpoint == null) {
                if (!isIssuer) {
                    tokenEndpoint = endpointOrIssuer;
                } else {
                    String base = endpointOrIssuer.toString().replaceAll("/+$", "");
                    URI discovery = URI.create(base + "/.well-known/openid-configuration");
                    JsonNode conf = exchange(discovery, "GET", null);
                    JsonNode te = conf.get("token_endpoint");
                    if (te == null || !te.isTextual()) {
                        throw refused(discovery, "it names no token_endpoint");
                    }
                    URI named = URI.create(te.asText());
                    checkPlaintext(named); // the issuer's document may point elsewhere
                    tokenEndpoint = named;
                }
            }
            return tokenEndpoint;
        }

        /**
         * One HTTP exchange, whole within the deadline: a read timeout bounds each wait, not an
         * endpoint that trickles its answer, so a watchdog disconnects at the deadline.
         */
        private JsonNode exchange(URI uri, String method, String form) throws IOException {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, deadline.toMillis()));
            AtomicBoolean expired = new AtomicBoolean();
            ScheduledFuture<?> watchdog = Deadlines.at(deadline, () -> {
                expired.set(true);
                c.disconnect();
            });
            try {
                JsonNode answer = exchange(c, uri, method, form);
                if (expired.get()) { // the disconnect may end the body as if it were complete
                    throw late(uri);
                }
                return answer;
            } catch (IOException | KeygenException e) {
                if (expired.get()) {
                    throw late(uri);
                }
                throw e;
            } finally {
                watchdog.cancel(false);
                c.disconnect();
            }
        }

        private static JsonNode exchange(HttpURLConnection c, URI uri, String method, String form) throws IOException {
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "application/json");
            if (form != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
                try (OutputStream o = c.getOutputStream()) {
                    o.write(form.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status;
            try {
                status = c.getResponseCode();
            } catch (IOException e) {
                throw new KeygenException(KeygenException.Kind.STORE, "OAuth2 token request to " + uri
                        + " failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                        + e.getMessage()), e);
            }
            if (status / 100 != 2) {
                // the body may echo the request (the refresh token): never quote it
                throw refused(uri, "HTTP " + status);
            }
            JsonNode answer;
            try (InputStream in = c.getInputStream()) {
                answer = JSON.readTree(in);
            } catch (IOException e) {
                throw refused(uri, "its answer is not JSON");
            }
            if (answer == null || !answer.isObject()) {
                throw refused(uri, "its answer is not a JSON object");
            }
            return answer;
        }

        private KeygenException late(URI uri) {
            return refused(uri, "no complete answer within " + deadline.toMillis() / 1000.0 + " s");
        }

        private static KeygenException refused(URI uri, String why) {
            return new KeygenException(KeygenException.Kind.STORE, "OAuth2 token refresh at " + uri + " failed: " + why);
        }

        @Override
        public String toString() {
            return "ServerAuth[oauth2 refresh, redacted]";
        }
    }
}
