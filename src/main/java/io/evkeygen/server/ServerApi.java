package io.evkeygen.server;

import io.evkeygen.error.KeygenException;
import java.util.Locale;

/** Which generation of the enVector server API a client speaks (SERVER-KEYS.md). */
public enum ServerApi {
    /** Try v2 first; a server answering UNIMPLEMENTED is spoken to in ES2E. */
    AUTO,
    /** {@code endpoint.v2.EndpointService}, the current Python SDK's API. */
    V2,
    /** {@code ES2E.ES2EService}, the Go SDK's API. */
    ES2E;

    /** Parses {@code auto}, {@code v2} or {@code es2e} (any case). */
    public static ServerApi parse(String text) {
        if (text != null) {
            for (ServerApi a : values()) {
                if (a.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                    return a;
                }
            }
        }
        throw KeygenException.usage("unknown server API '" + text + "': use auto, v2 or es2e");
    }

    /** The lower-case name, as reports spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
