package io.evkeygen.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A FAKE of AWS Secrets Manager for tests, at the protocol level: an HTTP server on 127.0.0.1
 * speaking AWS JSON 1.1 ({@code X-Amz-Target: secretsmanager.<Operation>}) for CreateSecret,
 * GetSecretValue, PutSecretValue, DescribeSecret, DeleteSecret and ListSecrets, with the error
 * shapes the real service returns (ResourceNotFoundException, ResourceExistsException,
 * InvalidRequestException for a name pending deletion). It does not check signatures. It can fail
 * the N-th call with a chosen error, and records the operations it served.
 */
public final class FakeSecretsManagerServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 2; // small pages so the client's paginator is exercised

    /** token: the ClientRequestToken of the version (the SDK sends the same one on every retry of a call). */
    private record Secret(String arn, String value, Long deletedDate, String token) {
        Secret(String arn, String value, Long deletedDate) {
            this(arn, value, deletedDate, null);
        }
    }

    private final HttpServer server;
    private final Map<String, Secret> secrets = new TreeMap<>();
    private final Map<String, String> previous = new TreeMap<>(); // name -> the AWSPREVIOUS value
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger callCount = new AtomicInteger();
    private volatile int failAt = -1;
    private volatile String failType;
    private volatile int failStatus;
    private volatile int failTimes;
    private volatile long delayMillis;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    public FakeSecretsManagerServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // one thread per request, like the real service: the fake must not serialise clients itself
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-secretsmanager");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Fails the {@code n}-th call from now (1 = the next) with {@code errorType} and {@code status}. */
    public void failCall(int n, String errorType, int status) {
        failCalls(n, 1, errorType, status);
    }

    /**
     * Fails {@code times} calls in a row from the {@code n}-th on: the SDK retries throttling and 5xx
     * errors, so a lasting failure needs more than one.
     */
    public synchronized void failCalls(int n, int times, String errorType, int status) {
        callCount.set(0);
        failType = errorType;
        failStatus = status;
        failTimes = times;
        failAt = n;
    }

    /**
     * Holds every request this long before answering, and resets the count of requests served at
     * once ({@link #maxInFlight()}): concurrent clients then show whether they overlap.
     */
    public void delayEachCall(long millis) {
        delayMillis = millis;
        maxInFlight.set(0);
    }

    /** The most requests in progress at the same time since {@link #delayEachCall(long)}. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    /** Operations served so far, e.g. {@code CreateSecret <name>}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public synchronized Map<String, String> liveSecrets() {
        Map<String, String> m = new TreeMap<>();
        secrets.forEach((k, v) -> {
            if (v.deletedDate() == null) {
                m.put(k, v.value());
            }
        });
        return m;
    }

    /** The value labelled AWSPREVIOUS by the last PutSecretValue of {@code name}, or null. */
    public synchronized String previousValue(String name) {
        return previous.get(name);
    }

    public synchronized void clear() {
        secrets.clear();
        previous.clear();
        calls.clear();
        failAt = -1;
        delayMillis = 0;
    }

    private void handle(HttpExchange ex) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (ex) {
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            serve(ex);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        {
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode req = JSON.readTree(ex.getRequestBody().readAllBytes());
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            calls.add(op + (req.hasNonNull("SecretId") ? " " + req.get("SecretId").asText()
                    : req.hasNonNull("Name") ? " " + req.get("Name").asText() : ""));
            int n = callCount.incrementAndGet();
            if (failAt > 0 && n >= failAt && n < failAt + failTimes) {
                error(ex, failStatus, failType, "injected failure");
                return;
            }
            synchronized (this) {
                switch (op) {
                    case "CreateSecret" -> create(ex, req);
                    case "GetSecretValue" -> get(ex, req);
                    case "PutSecretValue" -> put(ex, req);
                    case "DescribeSecret" -> describe(ex, req);
                    case "DeleteSecret" -> delete(ex, req);
                    case "ListSecrets" -> list(ex, req);
                    default -> error(ex, 400, "UnknownOperationException", "unknown operation " + op);
                }
            }
        }
    }

    private void create(HttpExchange ex, JsonNode req) throws IOException {
        String name = req.path("Name").asText();
        Secret s = secrets.get(name);
        if (s != null && s.deletedDate() != null) {
            error(ex, 400, "InvalidRequestException", "You can't create this secret because a secret with this name"
                    + " is already scheduled for deletion.");
            return;
        }
        String value = req.path("SecretString").asText(null);
        String token = req.path("ClientRequestToken").asText(null);
        if (s != null && token != null && token.equals(s.token()) && java.util.Objects.equals(value, s.value())) {
            // the service's idempotency: a retried CreateSecret whose first attempt got through succeeds
            ok(ex, base(s, name).put("VersionId", token));
            return;
        }
        if (s != null) {
            error(ex, 400, "ResourceExistsException", "The operation failed because the secret " + name
                    + " already exists.");
            return;
        }
        if (value != null && value.getBytes(StandardCharsets.UTF_8).length > 65_536) {
            error(ex, 400, "InvalidParameterException", "secret value too large");
            return;
        }
        s = new Secret("arn:aws:secretsmanager:us-east-1:000000000000:secret:" + name + "-AbCdEf", value, null, token);
        secrets.put(name, s);
        ok(ex, base(s, name).put("VersionId", UUID.randomUUID().toString()));
    }

    private Secret live(HttpExchange ex, JsonNode req) throws IOException {
        Secret s = secrets.get(req.path("SecretId").asText());
        if (s == null) {
            error(ex, 400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }
        return s;
    }

    private void get(HttpExchange ex, JsonNode req) throws IOException {
        Secret s = live(ex, req);
        if (s == null) {
            return;
        }
        if (s.deletedDate() != null) {
            error(ex, 400, "InvalidRequestException", "You can't perform this operation on the secret because"
                    + " it was marked for deletion.");
            return;
        }
        ObjectNode r = base(s, req.path("SecretId").asText()).put("SecretString", s.value())
                .put("VersionId", "v1").put("CreatedDate", 1.7e9);
        r.putArray("VersionStages").add("AWSCURRENT");
        ok(ex, r);
    }

    /**
     * A new AWSCURRENT version, the old one becoming AWSPREVIOUS. Checked as the service does: a
     * SecretString (no SecretBinary, no VersionStages moving labels elsewhere), within the size limit,
     * on a secret not pending deletion; the SDK's ClientRequestToken must be there.
     */
    private void put(HttpExchange ex, JsonNode req) throws IOException {
        Secret s = live(ex, req);
        if (s == null) {
            return;
        }
        String name = req.path("SecretId").asText();
        String value = req.path("SecretString").asText(null);
        if (s.deletedDate() != null) {
            error(ex, 400, "InvalidRequestException", "You can't perform this operation on the secret because"
                    + " it was marked for deletion.");
        } else if (value == null || req.has("SecretBinary") || req.has("VersionStages")
                || !req.hasNonNull("ClientRequestToken")) {
            error(ex, 400, "InvalidParameterException", "PutSecretValue needs SecretString and ClientRequestToken,"
                    + " and here no SecretBinary or VersionStages");
        } else if (value.getBytes(StandardCharsets.UTF_8).length > 65_536) {
            error(ex, 400, "InvalidParameterException", "secret value too large");
        } else {
            previous.put(name, s.value());
            secrets.put(name, new Secret(s.arn(), value, null, req.path("ClientRequestToken").asText()));
            ok(ex, base(s, name).put("VersionId", req.path("ClientRequestToken").asText()));
        }
    }

    private void describe(HttpExchange ex, JsonNode req) throws IOException {
        Secret s = live(ex, req);
        if (s != null) {
            ObjectNode r = base(s, req.path("SecretId").asText());
            if (s.deletedDate() != null) {
                r.put("DeletedDate", s.deletedDate());
            }
            ok(ex, r);
        }
    }

    private void delete(HttpExchange ex, JsonNode req) throws IOException {
        Secret s = live(ex, req);
        if (s == null) {
            return;
        }
        String name = req.path("SecretId").asText();
        long now = System.currentTimeMillis() / 1000;
        if (req.path("ForceDeleteWithoutRecovery").asBoolean(false)) {
            secrets.remove(name);
            previous.remove(name); // every version goes
        } else {
            secrets.put(name, new Secret(s.arn(), s.value(), now));
        }
        ok(ex, base(s, name).put("DeletionDate", now));
    }

    private void list(HttpExchange ex, JsonNode req) throws IOException {
        List<String> prefixes = new ArrayList<>();
        for (JsonNode f : req.path("Filters")) {
            if ("name".equals(f.path("Key").asText())) {
                f.path("Values").forEach(v -> prefixes.add(v.asText()));
            }
        }
        List<String> names = new ArrayList<>();
        secrets.forEach((name, s) -> {
            if (s.deletedDate() == null && (prefixes.isEmpty() || prefixes.stream().anyMatch(name::startsWith))) {
                names.add(name);
            }
        });
        int start = req.hasNonNull("NextToken") ? Integer.parseInt(req.get("NextToken").asText()) : 0;
        ObjectNode r = JSON.createObjectNode();
        ArrayNode list = r.putArray("SecretList");
        for (int i = start; i < Math.min(names.size(), start + PAGE); i++) {
            list.addObject().put("ARN", secrets.get(names.get(i)).arn()).put("Name", names.get(i));
        }
        if (start + PAGE < names.size()) {
            r.put("NextToken", Integer.toString(start + PAGE));
        }
        ok(ex, r);
    }

    private static ObjectNode base(Secret s, String name) {
        return JSON.createObjectNode().put("ARN", s.arn()).put("Name", name);
    }

    private static void ok(HttpExchange ex, JsonNode body) throws IOException {
        send(ex, 200, body, null);
    }

    private static void error(HttpExchange ex, int status, String type, String message) throws IOException {
        send(ex, status, JSON.createObjectNode().put("__type", type).put("message", message), type);
    }

    private static void send(HttpExchange ex, int status, JsonNode body, String errorType) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorType != null) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
