package io.evkeygen.keyset;

import java.util.Map;

/** Who asked for the key set; written into every envelope (spec section 6). */
public record Requester(String entity, String type, String method) {
    public static final Requester DEFAULT = new Requester("user@tenantA", "service/automated", "api/system/cli");

    /** From EVI_REQUESTER_ENTITY / _TYPE / _METHOD, each defaulting to {@link #DEFAULT}. */
    public static Requester fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Requester fromEnvironment(Map<String, String> env) {
        return new Requester(
                env.getOrDefault("EVI_REQUESTER_ENTITY", DEFAULT.entity),
                env.getOrDefault("EVI_REQUESTER_TYPE", DEFAULT.type),
                env.getOrDefault("EVI_REQUESTER_METHOD", DEFAULT.method));
    }
}
