package io.evkeygen.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * A FAKE of Google Cloud Storage's JSON API for tests: an HTTP server on 127.0.0.1 serving bucket get,
 * object get (metadata, and {@code alt=media} with ranges also under {@code /download}), list (small pages, {@code prefix}),
 * delete, and resumable uploads ({@code uploadType=resumable}, then PUT with {@code Content-Range}),
 * honouring {@code ifGenerationMatch} (HTTP 412 unless the object's generation is the one given, 0 meaning
 * absent; checked when the upload starts and again when it completes). Every request must carry
 * {@code Authorization: Bearer <token>} when a token is expected, and none otherwise (else HTTP 401). It records
 * calls, checks the upload's content type, and fails the N-th call with a chosen status and reason.
 */
public final class FakeGcsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 2;

    /** A stored object. */
    public record StoredObject(byte[] data, String contentType, long generation) {}

    /** An upload in progress; {@code ifGeneration} is its {@code ifGenerationMatch} (0: absent), null when none. */
    private record Upload(String bucket, String name, String contentType, Long ifGeneration, ByteArrayOutputStream data) {}

    private final HttpServer server;
    private final Map<String, Map<String, StoredObject>> buckets = new HashMap<>();
    private final Map<String, Upload> uploads = new HashMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger callCount = new AtomicInteger();
    private final AtomicLong generations = new AtomicLong(1_700_000_000_000_000L);
    private volatile String expectedToken;
    private volatile int failAt = -1;
    private volatile int failTimes;
    private volatile int failStatus;
    private volatile String failReason;

    public FakeGcsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL to give {@code StorageOptions.Builder.setHost}. */
    public String host() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests must carry {@code Authorization: Bearer token}; null: must carry no Authorization header. */
    public void expectToken(String token) {
        expectedToken = token;
    }

    public synchronized void createBucket(String name) {
        buckets.putIfAbsent(name, new TreeMap<>());
    }

    public synchronized void reset() {
        buckets.clear();
        uploads.clear();
        calls.clear();
        problems.clear();
        failAt = -1;
    }

    /** Fails the {@code n}-th call from now (1 = the next), {@code times} calls in a row. */
    public synchronized void failCalls(int n, int times, int status, String reason) {
        callCount.set(0);
        failAt = n;
        failTimes = times;
        failStatus = status;
        failReason = reason;
    }

    /** Calls served so far, e.g. {@code PUT-UPLOAD bucket/name}. */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Request-shape violations seen (wrong auth header, missing content type, ...): tests assert it is empty. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Objects of a bucket, by name. */
    public synchronized Map<String, StoredObject> objects(String bucket) {
        return new TreeMap<>(buckets.getOrDefault(bucket, Map.of()));
    }

    public synchronized void remove(String bucket, String name) {
        buckets.get(bucket).remove(name);
    }

    public synchronized void put(String bucket, String name, byte[] data) {
        buckets.get(bucket).put(name, new StoredObject(data.clone(), "application/json", generations.incrementAndGet()));
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String rawPath = ex.getRequestURI().getRawPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!authorized(ex)) {
                calls.add("UNAUTHENTICATED " + method + " " + rawPath);
                error(ex, 401, "required", "Anonymous caller or invalid credentials");
                return;
            }
            int n = callCount.incrementAndGet();
            if (failAt > 0 && n >= failAt && n < failAt + failTimes) {
                calls.add("FAILED " + method + " " + rawPath);
                error(ex, failStatus, failReason, "injected failure");
                return;
            }
            synchronized (this) {
                route(ex, method, rawPath, q, body);
            }
        } catch (RuntimeException e) {
            problems.add("fake crashed: " + e);
            throw e;
        }
    }

    /** Whether the Authorization header is the expected one (a wrong one is refused with 401, as GCS does). */
    private boolean authorized(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String want = expectedToken;
        if (want == null && auth != null) {
            problems.add("unexpected Authorization header");
            return false;
        }
        if (want != null && !("Bearer " + want).equals(auth)) {
            problems.add("bad Authorization header: " + (auth == null ? "none" : auth.split(" ")[0] + " ..."));
            return false;
        }
        return true;
    }

    private void route(HttpExchange ex, String method, String rawPath, Map<String, String> q, byte[] body) throws IOException {
        List<String> seg = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                seg.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        // media downloads: /download/storage/v1/b/{bucket}/o/{object}?alt=media
        if (seg.size() > 0 && seg.get(0).equals("download")) {
            if (!"media".equals(q.get("alt"))) {
                problems.add("download without alt=media");
            }
            seg.remove(0);
        }
        // /upload/storage/v1/b/{bucket}/o
        if (seg.size() == 6 && seg.get(0).equals("upload") && seg.get(1).equals("storage") && seg.get(3).equals("b")
                && seg.get(5).equals("o")) {
            upload(ex, method, seg.get(4), q, body);
            return;
        }
        if (seg.size() < 4 || !seg.get(0).equals("storage") || !seg.get(1).equals("v1") || !seg.get(2).equals("b")) {
            problems.add("unknown path " + method + " " + rawPath);
            error(ex, 404, "notFound", "no such API path");
            return;
        }
        String bucket = seg.get(3);
        Map<String, StoredObject> objects = buckets.get(bucket);
        if (seg.size() == 4 && method.equals("GET")) {
            calls.add("GET-BUCKET " + bucket);
            if (objects == null) {
                error(ex, 404, "notFound", "The specified bucket does not exist.");
                return;
            }
            ObjectNode b = JSON.createObjectNode().put("kind", "storage#bucket").put("id", bucket).put("name", bucket)
                    .put("metageneration", "1").put("location", "US").put("storageClass", "STANDARD");
            json(ex, 200, b);
            return;
        }
        if (objects == null) {
            calls.add(method + " " + bucket + " (no bucket)");
            error(ex, 404, "notFound", "The specified bucket does not exist.");
            return;
        }
        if (seg.size() == 5 && seg.get(4).equals("o") && method.equals("GET")) {
            list(ex, bucket, objects, q);
            return;
        }
        if (seg.size() < 6 || !seg.get(4).equals("o")) {
            problems.add("unknown path " + method + " " + rawPath);
            error(ex, 404, "notFound", "no such API path");
            return;
        }
        String name = String.join("/", seg.subList(5, seg.size()));
        StoredObject o = objects.get(name);
        switch (method) {
            case "GET" -> {
                boolean media = "media".equals(q.get("alt"));
                calls.add((media ? "GET-MEDIA " : "GET-OBJECT ") + bucket + "/" + name);
                if (o == null || (q.containsKey("generation") && Long.parseLong(q.get("generation")) != o.generation())) {
                    error(ex, 404, "notFound", "No such object: " + bucket + "/" + name);
                    return;
                }
                if (!media) {
                    json(ex, 200, resource(bucket, name, o));
                    return;
                }
                media(ex, o);
            }
            case "DELETE" -> {
                calls.add("DELETE " + bucket + "/" + name);
                if (o == null) {
                    error(ex, 404, "notFound", "No such object: " + bucket + "/" + name);
                    return;
                }
                objects.remove(name);
                ex.sendResponseHeaders(204, -1);
            }
            default -> {
                problems.add("unexpected " + method + " on an object");
                error(ex, 405, "methodNotAllowed", method);
            }
        }
    }

    private void media(HttpExchange ex, StoredObject o) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        int to = o.data().length - 1;
        int status = 200;
        if (range != null && range.startsWith("bytes=")) {
            String[] r = range.substring(6).split("-", -1);
            from = Integer.parseInt(r[0]);
            if (r.length > 1 && !r[1].isEmpty()) {
                to = Math.min(to, Integer.parseInt(r[1]));
            }
            status = 206;
            if (from >= o.data().length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + o.data().length);
                error(ex, 416, "requestedRangeNotSatisfiable", "range");
                return;
            }
            ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + to + "/" + o.data().length);
        }
        ex.getResponseHeaders().set("Content-Type", o.contentType());
        ex.getResponseHeaders().set("x-goog-generation", Long.toString(o.generation()));
        ex.getResponseHeaders().set("x-goog-hash", "crc32c=" + crc32c(o.data()) + ",md5=" + md5(o.data()));
        ex.getResponseHeaders().set("x-goog-stored-content-length", Integer.toString(o.data().length));
        int len = to - from + 1;
        ex.sendResponseHeaders(status, len == 0 ? -1 : len);
        if (len > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(o.data(), from, len);
            }
        }
    }

    private void list(HttpExchange ex, String bucket, Map<String, StoredObject> objects, Map<String, String> q) throws IOException {
        String prefix = q.getOrDefault("prefix", "");
        calls.add("LIST " + bucket + " prefix=" + prefix);
        List<String> names = new ArrayList<>();
        for (String k : objects.keySet()) {
            if (k.startsWith(prefix)) {
                names.add(k);
            }
        }
        int start = q.containsKey("pageToken") ? Integer.parseInt(q.get("pageToken")) : 0;
        int end = Math.min(names.size(), start + PAGE);
        ObjectNode r = JSON.createObjectNode().put("kind", "storage#objects");
        ArrayNode items = r.putArray("items");
        for (String k : names.subList(start, end)) {
            items.add(resource(bucket, k, objects.get(k)));
        }
        if (end < names.size()) {
            r.put("nextPageToken", Integer.toString(end));
        }
        json(ex, 200, r);
    }

    private void upload(HttpExchange ex, String method, String bucket, Map<String, String> q, byte[] body) throws IOException {
        if (!"resumable".equals(q.get("uploadType"))) {
            problems.add("upload type " + q.get("uploadType") + " not supported by the fake");
            error(ex, 400, "invalid", "only resumable uploads");
            return;
        }
        if (method.equals("POST")) {
            JsonNode meta = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            String name = q.containsKey("name") ? q.get("name") : meta.path("name").asText(null);
            calls.add("START-UPLOAD " + bucket + "/" + name);
            if (!buckets.containsKey(bucket)) {
                error(ex, 404, "notFound", "The specified bucket does not exist.");
                return;
            }
            String ct = meta.path("contentType").asText(null);
            if (!"application/json".equals(ct)) {
                problems.add("upload of " + name + " with content type " + ct);
            }
            Long ifGeneration = q.containsKey("ifGenerationMatch") ? Long.valueOf(q.get("ifGenerationMatch")) : null;
            if (ifGeneration == null) {
                problems.add("upload of " + name + " without ifGenerationMatch");
            }
            if (!conditionHolds(buckets.get(bucket).get(name), ifGeneration)) {
                error(ex, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
                return;
            }
            String id = "u" + uploads.size() + "x" + System.nanoTime();
            uploads.put(id, new Upload(bucket, name, ct, ifGeneration, new ByteArrayOutputStream()));
            ex.getResponseHeaders().set("Location", host() + "/upload/storage/v1/b/" + bucket
                    + "/o?uploadType=resumable&upload_id=" + id);
            ex.sendResponseHeaders(200, -1);
            return;
        }
        Upload u = uploads.get(q.get("upload_id"));
        if (!method.equals("PUT") || u == null) {
            problems.add("bad upload request " + method + " " + q);
            error(ex, 404, "notFound", "no such upload");
            return;
        }
        calls.add("PUT-UPLOAD " + bucket + "/" + u.name());
        String cr = ex.getRequestHeaders().getFirst("Content-Range");
        long total = -1;
        if (cr != null && cr.startsWith("bytes ")) {
            String[] parts = cr.substring(6).split("/");
            if (!parts[1].equals("*")) {
                total = Long.parseLong(parts[1]);
            }
            if (!parts[0].equals("*")) {
                long first = Long.parseLong(parts[0].split("-")[0]);
                if (first != u.data().size()) {
                    problems.add("upload chunk at " + first + ", expected " + u.data().size());
                }
            }
        } else if (cr != null) {
            problems.add("bad Content-Range " + cr);
        }
        u.data().write(body);
        if (total < 0 || u.data().size() < total) {
            if (u.data().size() > 0) {
                ex.getResponseHeaders().set("Range", "bytes=0-" + (u.data().size() - 1));
            }
            ex.sendResponseHeaders(308, -1);
            return;
        }
        uploads.remove(q.get("upload_id"));
        Map<String, StoredObject> objects = buckets.get(u.bucket());
        if (!conditionHolds(objects.get(u.name()), u.ifGeneration())) {
            error(ex, 412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
            return;
        }
        StoredObject o = new StoredObject(u.data().toByteArray(), u.contentType(), generations.incrementAndGet());
        objects.put(u.name(), o);
        json(ex, 200, resource(u.bucket(), u.name(), o));
    }

    /** {@code ifGenerationMatch}: 0 holds for no object, a generation for that object's current one; none always holds. */
    private static boolean conditionHolds(StoredObject current, Long ifGeneration) {
        return ifGeneration == null || ifGeneration == (current == null ? 0 : current.generation());
    }

    private static ObjectNode resource(String bucket, String name, StoredObject o) {
        String t = Instant.ofEpochMilli(o.generation() / 1000).toString();
        return JSON.createObjectNode().put("kind", "storage#object").put("id", bucket + "/" + name + "/" + o.generation())
                .put("name", name).put("bucket", bucket).put("generation", Long.toString(o.generation()))
                .put("metageneration", "1").put("contentType", o.contentType()).put("size", Integer.toString(o.data().length))
                .put("md5Hash", md5(o.data())).put("crc32c", crc32c(o.data())).put("storageClass", "STANDARD")
                .put("timeCreated", t).put("updated", t);
    }

    static String crc32c(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) c.getValue()).array());
    }

    static String md5(byte[] data) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void error(HttpExchange ex, int status, String reason, String message) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode e = r.putObject("error").put("code", status).put("message", message);
        e.putArray("errors").addObject().put("reason", reason).put("message", message).put("domain", "global");
        json(ex, status, r);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String p : raw.split("&")) {
            int eq = p.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k, v);
        }
        return q;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
