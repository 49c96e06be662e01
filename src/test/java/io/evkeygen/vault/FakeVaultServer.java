package io.evkeygen.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE of HashiCorp Vault's KV secrets engine for tests: an HTTP server on 127.0.0.1 with one mount
 * of KV version 1 or 2. KV v2: {@code POST /v1/<mount>/data/<path>} (with {@code options.cas}, 400
 * on a mismatch as Vault answers), {@code GET .../data/<path>}, {@code POST .../destroy/<path>} (a
 * non-empty {@code versions} list of existing versions), {@code GET|DELETE .../metadata/<path>},
 * {@code GET .../metadata/<folder>/?list=true}; KV v1: {@code POST|GET|DELETE /v1/<mount>/<path>}
 * and list; optionally a Transit engine ({@link #enableTransit}: data keys, encrypt, decrypt, key
 * versions and rotation). Every request must carry the expected {@code X-Vault-Token} (403 "permission denied"
 * otherwise) and, when a namespace is expected, {@code X-Vault-Namespace}. It checks bodies, records
 * calls and fails the N-th call with a chosen status.
 */
public final class FakeVaultServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final String mount;
    private final int kvVersion;
    private final String token;
    private final Map<String, List<String>> secrets = new TreeMap<>(); // path -> versions of "value"; null: destroyed
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger callCount = new AtomicInteger();
    private final Map<String, Integer> transitKeys = new TreeMap<>(); // name -> latest version
    private final Map<String, Wrapped> wrapped = new HashMap<>(); // ciphertext -> what it wraps
    private volatile String transitMount;
    private volatile String namespace;
    private volatile int failAt = -1;
    private volatile int failStatus;
    private volatile String failWriteSuffix;
    private volatile String racedWriteSuffix;
    private volatile int failWriteStatus;

    public FakeVaultServer(String mount, int kvVersion, String token) throws IOException {
        this.mount = mount;
        this.kvVersion = kvVersion;
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI address() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Requests must carry {@code X-Vault-Namespace: ns} (null: none). */
    public void expectNamespace(String ns) {
        namespace = ns;
    }

    /** Fails the {@code n}-th call from now (1 = the next) with {@code status}. */
    public synchronized void failCall(int n, int status) {
        callCount.set(0);
        failAt = n;
        failStatus = status;
    }

    /** Fails the next write (KV v1 or v2) of a path ending with {@code suffix} with {@code status}, once. */
    public void failWriteTo(String suffix, int status) {
        failWriteStatus = status;
        failWriteSuffix = suffix;
    }

    /** Another writer adds a version just before the next write of a path ending with {@code suffix}, once. */
    public void raceNextWriteTo(String suffix) {
        racedWriteSuffix = suffix;
    }

    /** Answers the armed write failure of {@link #failWriteTo}; true when it did. Runs an armed race first. */
    private boolean failedWrite(HttpExchange ex, String path) throws IOException {
        String raced = racedWriteSuffix;
        if (raced != null && path.endsWith(raced)) {
            racedWriteSuffix = null;
            put(path, "{\"written\":\"by another writer\"}");
        }
        String suffix = failWriteSuffix;
        if (suffix == null || !path.endsWith(suffix)) {
            return false;
        }
        failWriteSuffix = null;
        calls.add("FAILED WRITE " + path);
        error(ex, failWriteStatus, "injected failure");
        return true;
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Path (under the mount) to the current value. */
    public synchronized Map<String, String> values() {
        Map<String, String> m = new TreeMap<>();
        secrets.forEach((k, v) -> m.put(k, v.get(v.size() - 1)));
        return m;
    }

    /** Every version of {@code path}, oldest first (null: destroyed), or null when there is none. */
    public synchronized List<String> versions(String path) {
        List<String> v = secrets.get(path);
        return v == null ? null : Collections.unmodifiableList(new ArrayList<>(v));
    }

    /** Writes a value as another client would. */
    public synchronized void put(String path, String value) {
        secrets.computeIfAbsent(path, k -> new ArrayList<>()).add(value);
    }

    /** What a Transit ciphertext of this fake stands for: its ciphertext format is its own. */
    private record Wrapped(String key, int version, byte[] plaintext) {}

    /** Serves a Transit engine at {@code mount} too (no keys until {@link #createTransitKey}). */
    public void enableTransit(String mount) {
        transitMount = mount;
    }

    public synchronized void createTransitKey(String name) {
        transitKeys.putIfAbsent(name, 1);
    }

    /** {@code vault write -f transit/keys/<name>/rotate}: new data keys are wrapped with the next version. */
    public synchronized void rotateTransitKey(String name) {
        transitKeys.computeIfPresent(name, (k, v) -> v + 1);
    }

    public synchronized int transitKeyVersion(String name) {
        return transitKeys.getOrDefault(name, 0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String raw = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            byte[] body = ex.getRequestBody().readAllBytes();
            String given = ex.getRequestHeaders().getFirst("X-Vault-Token");
            if (!token.equals(given)) {
                calls.add("DENIED " + method + " " + raw);
                error(ex, 403, "permission denied");
                return;
            }
            String ns = ex.getRequestHeaders().getFirst("X-Vault-Namespace");
            if (!java.util.Objects.equals(namespace, ns)) {
                problems.add("namespace header " + ns + ", expected " + namespace);
            }
            if (body.length > 0 && !"application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                problems.add("body without Content-Type application/json");
            }
            int n = callCount.incrementAndGet();
            if (n == failAt) {
                calls.add("FAILED " + method + " " + raw);
                error(ex, failStatus, failStatus == 403 ? "permission denied" : "injected failure");
                return;
            }
            String transit = transitMount == null ? null : "/v1/" + transitMount + "/";
            if (transit != null && raw.startsWith(transit)) {
                synchronized (this) {
                    transit(ex, method, decode(raw.substring(transit.length())), body);
                }
                return;
            }
            String prefix = "/v1/" + mount + "/";
            if (!raw.startsWith(prefix)) {
                problems.add("path outside the mount: " + raw);
                error(ex, 404, "no handler for route \"" + raw + "\"");
                return;
            }
            String rest = raw.substring(prefix.length());
            boolean list = "list=true".equals(query);
            synchronized (this) {
                if (kvVersion == 2) {
                    v2(ex, method, rest, list, body);
                } else {
                    v1(ex, method, decode(rest), list, body);
                }
            }
        }
    }

    private void v2(HttpExchange ex, String method, String rest, boolean list, byte[] body) throws IOException {
        if (rest.startsWith("data/")) {
            String path = decode(rest.substring(5));
            if ((method.equals("POST") || method.equals("PUT")) && failedWrite(ex, path)) {
                return;
            }
            if (method.equals("POST") || method.equals("PUT")) {
                calls.add("WRITE " + path);
                JsonNode req = JSON.readTree(body);
                JsonNode data = req.path("data");
                if (!data.path("value").isTextual() || data.size() != 1) {
                    problems.add("write of " + path + " without exactly one text field 'value'");
                }
                JsonNode cas = req.path("options").path("cas");
                if (!cas.isInt()) {
                    problems.add("write of " + path + " without options.cas");
                }
                List<String> versions = secrets.get(path);
                int current = versions == null ? 0 : versions.size();
                if (cas.isInt() && cas.asInt() != current) {
                    error(ex, 400, "check-and-set parameter did not match the current version");
                    return;
                }
                put(path, data.path("value").asText());
                ObjectNode r = JSON.createObjectNode();
                r.putObject("data").put("version", secrets.get(path).size()).put("created_time", Instant.now().toString())
                        .put("deletion_time", "").put("destroyed", false);
                json(ex, 200, r);
                return;
            }
            if (method.equals("GET")) {
                calls.add("READ " + path);
                List<String> v = secrets.get(path);
                if (v == null) {
                    error(ex, 404, null);
                    return;
                }
                ObjectNode r = JSON.createObjectNode();
                ObjectNode d = r.putObject("data");
                d.putObject("data").put("value", v.get(v.size() - 1));
                d.putObject("metadata").put("version", v.size()).put("deletion_time", "").put("destroyed", false);
                json(ex, 200, r);
                return;
            }
        }
        if (rest.startsWith("destroy/") && method.equals("POST")) {
            destroy(ex, decode(rest.substring(8)), body);
            return;
        }
        if (rest.startsWith("metadata/")) {
            String path = decode(rest.substring(9));
            if (method.equals("GET") && list) {
                list(ex, path);
                return;
            }
            if (method.equals("GET")) {
                calls.add("METADATA " + path);
                List<String> v = secrets.get(path);
                if (v == null) {
                    error(ex, 404, null);
                    return;
                }
                ObjectNode r = JSON.createObjectNode();
                ObjectNode d = r.putObject("data").put("current_version", v.size()).put("oldest_version", 1);
                ObjectNode versions = d.putObject("versions");
                for (int i = 1; i <= v.size(); i++) {
                    versions.putObject(Integer.toString(i)).put("deletion_time", "").put("destroyed", v.get(i - 1) == null);
                }
                json(ex, 200, r);
                return;
            }
            if (method.equals("DELETE")) {
                calls.add("DELETE-ALL " + path);
                secrets.remove(path);
                ex.sendResponseHeaders(204, -1);
                return;
            }
        }
        problems.add("unexpected " + method + " " + rest);
        error(ex, 405, "unsupported operation");
    }

    /** KV v2 destroy: the listed versions' values are dropped for good; the metadata and later versions stay. */
    private void destroy(HttpExchange ex, String path, byte[] body) throws IOException {
        calls.add("DESTROY " + path);
        List<String> v = secrets.get(path);
        JsonNode versions = JSON.readTree(body).path("versions");
        if (!versions.isArray() || versions.isEmpty()) {
            problems.add("destroy of " + path + " without a non-empty versions list");
            error(ex, 400, "no versions provided");
            return;
        }
        if (v == null) {
            error(ex, 404, null);
            return;
        }
        for (JsonNode n : versions) {
            if (!n.isInt() || n.asInt() < 1 || n.asInt() > v.size()) {
                problems.add("destroy of version " + n + " of " + path + ", which has " + v.size());
                continue;
            }
            v.set(n.asInt() - 1, null);
        }
        ex.sendResponseHeaders(204, -1);
    }

    private void v1(HttpExchange ex, String method, String path, boolean list, byte[] body) throws IOException {
        switch (method) {
            case "GET" -> {
                if (list) {
                    list(ex, path);
                    return;
                }
                calls.add("READ " + path);
                List<String> v = secrets.get(path);
                if (v == null) {
                    error(ex, 404, null);
                    return;
                }
                ObjectNode r = JSON.createObjectNode();
                r.putObject("data").put("value", v.get(v.size() - 1));
                json(ex, 200, r);
            }
            case "POST", "PUT" -> {
                if (failedWrite(ex, path)) {
                    return;
                }
                calls.add("WRITE " + path);
                JsonNode data = JSON.readTree(body);
                if (!data.path("value").isTextual() || data.size() != 1) {
                    problems.add("write of " + path + " without exactly one text field 'value'");
                }
                secrets.put(path, new ArrayList<>(List.of(data.path("value").asText())));
                ex.sendResponseHeaders(204, -1);
            }
            case "DELETE" -> {
                calls.add("DELETE " + path);
                secrets.remove(path);
                ex.sendResponseHeaders(204, -1);
            }
            default -> {
                problems.add("unexpected " + method + " " + path);
                error(ex, 405, "unsupported operation");
            }
        }
    }

    /**
     * Transit: {@code POST datakey/plaintext/<name>} (checks {@code bits} 256), {@code encrypt/<name>},
     * {@code decrypt/<name>}, {@code keys/<name>/rotate}; a missing key is 400 "encryption key not
     * found", a ciphertext of another key 400 "cipher: message authentication failed", as Vault answers.
     */
    private void transit(HttpExchange ex, String method, String rest, byte[] body) throws IOException {
        String[] seg = rest.split("/");
        String op = "?";
        String name = "";
        if (seg.length == 3 && seg[0].equals("datakey") && seg[1].equals("plaintext")) {
            op = "datakey";
            name = seg[2];
        } else if (seg.length == 2 && (seg[0].equals("encrypt") || seg[0].equals("decrypt"))) {
            op = seg[0];
            name = seg[1];
        } else if (seg.length == 3 && seg[0].equals("keys") && seg[2].equals("rotate")) {
            op = "rotate";
            name = seg[1];
        }
        calls.add("TRANSIT " + op + " " + name);
        if (!method.equals("POST") && !method.equals("PUT")) {
            problems.add("unexpected " + method + " transit/" + rest);
            error(ex, 405, "unsupported operation");
            return;
        }
        Integer latest = transitKeys.get(name);
        if (latest == null) {
            error(ex, 400, "encryption key not found");
            return;
        }
        JsonNode req = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        ObjectNode r = JSON.createObjectNode();
        ObjectNode data = r.putObject("data");
        switch (op) {
            case "datakey", "encrypt" -> {
                byte[] plaintext;
                if (op.equals("datakey")) {
                    if (req.path("bits").asInt(256) != 256) {
                        problems.add("datakey with bits " + req.path("bits"));
                    }
                    plaintext = new byte[32];
                    RANDOM.nextBytes(plaintext);
                    data.put("plaintext", Base64.getEncoder().encodeToString(plaintext));
                } else {
                    plaintext = Base64.getDecoder().decode(req.path("plaintext").asText());
                }
                byte[] id = new byte[24];
                RANDOM.nextBytes(id);
                String ciphertext = "vault:v" + latest + ":" + Base64.getEncoder().encodeToString(id);
                wrapped.put(ciphertext, new Wrapped(name, latest, plaintext));
                data.put("ciphertext", ciphertext).put("key_version", latest);
            }
            case "decrypt" -> {
                Wrapped w = wrapped.get(req.path("ciphertext").asText());
                if (w == null) {
                    error(ex, 400, "invalid ciphertext: unable to decrypt");
                    return;
                }
                if (!w.key().equals(name)) {
                    error(ex, 400, "cipher: message authentication failed");
                    return;
                }
                data.put("plaintext", Base64.getEncoder().encodeToString(w.plaintext()));
            }
            case "rotate" -> transitKeys.put(name, latest + 1);
            default -> {
                problems.add("unexpected transit path " + rest);
                error(ex, 405, "unsupported operation");
                return;
            }
        }
        json(ex, 200, r);
    }

    private void list(HttpExchange ex, String folder) throws IOException {
        calls.add("LIST " + folder);
        String f = folder.endsWith("/") ? folder : folder + "/";
        TreeSet<String> keys = new TreeSet<>();
        for (String p : secrets.keySet()) {
            if (p.startsWith(f)) {
                String tail = p.substring(f.length());
                int slash = tail.indexOf('/');
                keys.add(slash < 0 ? tail : tail.substring(0, slash + 1));
            }
        }
        if (keys.isEmpty()) {
            error(ex, 404, null);
            return;
        }
        ObjectNode r = JSON.createObjectNode();
        keys.forEach(r.putObject("data").putArray("keys")::add);
        json(ex, 200, r);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        var errs = r.putArray("errors");
        if (message != null) {
            errs.add(message);
        }
        json(ex, status, r);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
