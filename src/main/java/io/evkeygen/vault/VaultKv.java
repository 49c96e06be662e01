package io.evkeygen.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Vault's KV secrets engine (version 1 or 2) over its HTTP API ({@link VaultHttp}). Envelope writes
 * never replace: KV v2 writes with {@code cas=0} (Vault refuses when the path holds a version), KV v1
 * (no check-and-set) checks first. Records replace with {@code cas=<version>} (KV v2 only). Tokens
 * and values never reach a message or a log.
 */
final class VaultKv {
    private static final ObjectMapper JSON = VaultHttp.JSON;

    private final VaultStoreConfig config;
    private final VaultHttp http;

    VaultKv(VaultStoreConfig config) {
        this.config = config;
        this.http = new VaultHttp(config.connection(), config.access(), config.mount());
    }

    /** A value and its KV v2 version. */
    record Version(String text, int version) {}

    /** Writes {@code {"value": text}} at {@code path}; false when the path already holds a secret. */
    boolean create(String path, String text) throws IOException {
        if (config.kvVersion() == 2) {
            return writeCas(path, text, 0);
        }
        if (exists(path)) {
            return false;
        }
        VaultHttp.check(http.send("POST", VaultHttp.encodePath(path),
                JSON.writeValueAsBytes(JSON.createObjectNode().put(VaultLayout.FIELD, text))));
        return true;
    }

    /**
     * Replaces the value of an existing secret; false when there is none. KV v2: one write with
     * {@code cas=<current version>} (refused, as a STORE error, when another writer got in between),
     * then {@code destroy} of every older version, so the old value does not linger as a version. KV v1
     * keeps no versions: a plain write after checking that the secret is there.
     */
    boolean replace(String path, String text) throws IOException {
        if (config.kvVersion() == 1) {
            if (!exists(path)) {
                return false;
            }
            VaultHttp.check(http.send("POST", VaultHttp.encodePath(path),
                    JSON.writeValueAsBytes(JSON.createObjectNode().put(VaultLayout.FIELD, text))));
            return true;
        }
        Version current = readVersion(path);
        if (current == null) {
            return false;
        }
        if (!writeCas(path, text, current.version())) {
            throw new KeygenException(KeygenException.Kind.STORE, "Vault secret " + config.mount() + "/" + path
                    + " changed (version " + current.version() + " is no longer current): another writer got in between");
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode versions = body.putArray("versions");
        for (int v = 1; v <= current.version(); v++) {
            versions.add(v);
        }
        VaultHttp.check(http.send("POST", "destroy/" + VaultHttp.encodePath(path), JSON.writeValueAsBytes(body)));
        return true;
    }

    /** The envelope text at {@code path}, or null when there is none. */
    String read(String path) throws IOException {
        HttpResponse<byte[]> r = http.send("GET", (config.kvVersion() == 2 ? "data/" : "") + VaultHttp.encodePath(path), null);
        if (r.statusCode() == 404) {
            return null;
        }
        VaultHttp.check(r);
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
            HttpResponse<byte[]> r = http.send("GET", VaultHttp.encodePath(path), null);
            Arrays.fill(r.body(), (byte) 0);
            if (r.statusCode() == 404) {
                return false;
            }
            VaultHttp.check(r);
            return true;
        }
        HttpResponse<byte[]> r = http.send("GET", "metadata/" + VaultHttp.encodePath(path), null);
        if (r.statusCode() == 404) {
            return false;
        }
        VaultHttp.check(r);
        JsonNode d = JSON.readTree(r.body()).path("data");
        JsonNode current = d.path("versions").path(d.path("current_version").asText());
        return !current.isMissingNode() && current.path("deletion_time").asText("").isEmpty()
                && !current.path("destroyed").asBoolean(false);
    }

    /** Removes the secret and, on KV v2, every version and its metadata; a missing path is fine. */
    void delete(String path) throws IOException {
        HttpResponse<byte[]> r = http.send("DELETE", (config.kvVersion() == 2 ? "metadata/" : "") + VaultHttp.encodePath(path), null);
        if (r.statusCode() != 404) {
            VaultHttp.check(r);
        }
    }

    /** The child names under {@code folder/} (folders end with '/'), empty when there are none. */
    List<String> list(String folder) throws IOException {
        HttpResponse<byte[]> r = http.send("GET", (config.kvVersion() == 2 ? "metadata/" : "") + VaultHttp.encodePath(folder) + "/?list=true", null);
        if (r.statusCode() == 404) {
            return List.of();
        }
        VaultHttp.check(r);
        List<String> keys = new ArrayList<>();
        JSON.readTree(r.body()).path("data").path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    /**
     * KV v2 only: the value at {@code path} and its version, or null when there is none. The version
     * is what {@link #replace} compares with ({@code cas}).
     */
    Version readVersion(String path) throws IOException {
        HttpResponse<byte[]> r = http.send("GET", "data/" + VaultHttp.encodePath(path), null);
        if (r.statusCode() == 404) {
            return null;
        }
        VaultHttp.check(r);
        JsonNode data = JSON.readTree(r.body()).path("data");
        Arrays.fill(r.body(), (byte) 0);
        JsonNode v = data.path("data").get(VaultLayout.FIELD);
        JsonNode version = data.path("metadata").path("version");
        if (v == null || !v.isTextual() || !version.canConvertToInt()) {
            throw new KeygenException(KeygenException.Kind.STORE, "Vault secret " + config.mount() + "/" + path
                    + " has no text field '" + VaultLayout.FIELD + "' or no version");
        }
        return new Version(v.asText(), version.asInt());
    }

    /**
     * KV v2 only: writes {@code text} with {@code cas} (0: only if no version exists; else only if the
     * current version is {@code cas}); false when Vault refused the check-and-set.
     */
    boolean writeCas(String path, String text, int cas) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("options").put("cas", cas);
        body.putObject("data").put(VaultLayout.FIELD, text);
        HttpResponse<byte[]> r = http.send("POST", "data/" + VaultHttp.encodePath(path), JSON.writeValueAsBytes(body));
        if (r.statusCode() == 400 && VaultHttp.errorText(r).contains("check-and-set")) {
            return false;
        }
        VaultHttp.check(r);
        return true;
    }

    /** What a request is, for messages: {@code <address>/v1/<mount>/...} without query. */
    String url(String path) {
        return http.base() + (config.kvVersion() == 2 ? "data/" : "") + path;
    }
}
