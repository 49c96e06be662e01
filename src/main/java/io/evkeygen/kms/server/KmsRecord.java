package io.evkeygen.kms.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2.KeyGenStatus;
import io.evkeygen.kms.internal.proto.KmsV2.KeyState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The KMS's state of one key id, kept in the store ({@code KeyStore.records("kms")}) as JSON so that
 * every replica sharing the store sees it: lifecycle state, generation status, what was asked for,
 * times and actor, and the lease of whoever is generating or rotating it (owner and heartbeat), so
 * that work whose owner died is seen as abandoned once the lease runs out.
 */
record KmsRecord(KeyState state, KeyGenStatus gen, String preset, String evalMode, List<Integer> dims,
                 boolean metadata, Instant createdAt, Instant updatedAt, String actor,
                 String leaseOwner, long leaseHeartbeatMillis, String error) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A generation just claimed by {@code owner}. */
    static KmsRecord pending(String preset, String evalMode, List<Integer> dims, boolean metadata, Instant now,
                             String actor, String owner) {
        return new KmsRecord(KeyState.KEY_STATE_PREPARING, KeyGenStatus.KEY_GEN_STATUS_PENDING, preset, evalMode,
                List.copyOf(dims), metadata, now, now, actor, owner, now.toEpochMilli(), null);
    }

    /** A complete set (imported, or found without a record). */
    static KmsRecord active(Instant now, String actor) {
        return new KmsRecord(KeyState.KEY_STATE_ACTIVE, KeyGenStatus.KEY_GEN_STATUS_READY, null, null, List.of(),
                false, now, now, actor, null, 0, null);
    }

    KmsRecord ready(Instant now) {
        return new KmsRecord(KeyState.KEY_STATE_ACTIVE, KeyGenStatus.KEY_GEN_STATUS_READY, preset, evalMode, dims,
                metadata, createdAt, now, actor, null, 0, null);
    }

    KmsRecord failed(Instant now, String message) {
        return new KmsRecord(KeyState.KEY_STATE_PREPARING, KeyGenStatus.KEY_GEN_STATUS_FAILED, preset, evalMode,
                dims, metadata, createdAt, now, actor, null, 0, message);
    }

    KmsRecord heartbeat(Instant now) {
        return new KmsRecord(state, gen, preset, evalMode, dims, metadata, createdAt, updatedAt, actor, leaseOwner,
                now.toEpochMilli(), error);
    }

    /** A lifecycle change by {@code actor}; {@code owner} holds a lease while the change is in progress. */
    KmsRecord transition(KeyState to, Instant now, String actor, String owner) {
        return new KmsRecord(to, gen, preset, evalMode, dims, metadata, createdAt, now, actor, owner,
                owner == null ? 0 : now.toEpochMilli(), error);
    }

    /** Whether the lease holder's last heartbeat is older than {@code lease} at {@code now}: it died. */
    boolean leaseExpired(Instant now, Duration lease) {
        return leaseOwner == null || now.toEpochMilli() - leaseHeartbeatMillis > lease.toMillis();
    }

    byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "evkeygen-kms-record/1");
        o.put("state", state.name());
        o.put("gen", gen.name());
        o.put("preset", preset);
        o.put("eval_mode", evalMode);
        ArrayNode d = o.putArray("dims");
        dims.forEach(d::add);
        o.put("metadata_encryption", metadata);
        o.put("created_at", createdAt.toString());
        o.put("updated_at", updatedAt.toString());
        o.put("actor", actor);
        o.put("lease_owner", leaseOwner);
        o.put("lease_heartbeat_ms", leaseHeartbeatMillis);
        o.put("error", error);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    static KmsRecord fromJson(byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            List<Integer> dims = new ArrayList<>();
            o.path("dims").forEach(n -> dims.add(n.asInt()));
            return new KmsRecord(KeyState.valueOf(o.get("state").asText()), KeyGenStatus.valueOf(o.get("gen").asText()),
                    text(o, "preset"), text(o, "eval_mode"), List.copyOf(dims), o.path("metadata_encryption").asBoolean(),
                    Instant.parse(o.get("created_at").asText()), Instant.parse(o.get("updated_at").asText()),
                    text(o, "actor"), text(o, "lease_owner"), o.path("lease_heartbeat_ms").asLong(), text(o, "error"));
        } catch (IOException | RuntimeException e) {
            throw new KeygenException(KeygenException.Kind.STORE, "a KMS state record is unreadable ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
