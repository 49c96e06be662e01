package io.evkeygen.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A FAKE OAuth2 token endpoint and OIDC issuer for tests, on loopback: {@code POST /token} takes a
 * form with {@code grant_type=refresh_token}, checks the refresh token and client id, and answers
 * the next queued access token with a rotated refresh token; {@code GET
 * /.well-known/openid-configuration} names {@code /token}.
 */
public final class FakeTokenEndpoint implements AutoCloseable {
    private final HttpServer server;
    public final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final Deque<String> accessTokens = new ArrayDeque<>();
    private volatile String expectedRefresh;
    private int rotation;

    public FakeTokenEndpoint(String initialRefreshToken, String... accessTokens) throws IOException {
        this.expectedRefresh = initialRefreshToken;
        this.accessTokens.addAll(List.of(accessTokens));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.createContext("/.well-known/openid-configuration", ex -> {
            send(ex, 200, "{\"issuer\":\"" + issuer() + "\",\"token_endpoint\":\"" + tokenUri() + "\"}");
        });
        server.start();
    }

    public URI issuer() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI tokenUri() {
        return URI.create(issuer() + "/token");
    }

    private synchronized void token(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        for (String kv : body.split("&")) {
            int eq = kv.indexOf('=');
            form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        requests.add(form);
        if (!"POST".equals(ex.getRequestMethod()) || !"refresh_token".equals(form.get("grant_type"))
                || !"evkeygen-test".equals(form.get("client_id"))
                || !ex.getRequestHeaders().getFirst("Content-Type").startsWith("application/x-www-form-urlencoded")) {
            send(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        if (!expectedRefresh.equals(form.get("refresh_token")) || accessTokens.isEmpty()) {
            send(ex, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        expectedRefresh = "rotated-refresh-" + (++rotation);
        send(ex, 200, "{\"access_token\":\"" + accessTokens.pop() + "\",\"token_type\":\"Bearer\",\"expires_in\":300,"
                + "\"refresh_token\":\"" + expectedRefresh + "\"}");
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
