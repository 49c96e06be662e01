package io.evkeygen.params;

import io.evkeygen.error.KeygenException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The named parameter sets, defined in {@link #definitions}: adding a preset is one line there (and its
 * primes in {@link VerifiedPrimes}), and nothing else in the code branches on a preset name.
 */
public final class Presets {
    /** Name written for parameter sets that are not a named preset. */
    public static final String CUSTOM_NAME = "RUNTIME";

    private static final List<Parameters> ALL = definitions();

    /** The default preset (the first definition). */
    static final String DEFAULT = "IP0";

    private Presets() {}

    public static List<Parameters> all() {
        return ALL;
    }

    /** A preset by name, any case ({@code ip0}, {@code IP1}). */
    public static Parameters byName(String name) {
        String wanted = name == null ? DEFAULT : name.trim().toUpperCase(Locale.ROOT);
        for (Parameters p : ALL) {
            if (p.preset().equals(wanted)) {
                return p;
            }
        }
        throw KeygenException.usage("unknown preset '" + name + "': use one of " + names()
                + " (or custom parameters)");
    }

    /** The preset these exact values are, or null. */
    public static Parameters find(String name, long q, long p) {
        for (Parameters preset : ALL) {
            if (preset.preset().equals(name) && preset.q() == q && preset.p() == p) {
                return preset;
            }
        }
        return null;
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Parameters p : ALL) {
            names.add(p.preset().toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * The preset definitions, IP0 first. Has no static state of its own, so {@link Parameters#IP0}
     * can use it while this class initializes without an initialization cycle. Their primes are
     * {@link VerifiedPrimes}, so building them costs no primality test or root search.
     */
    static List<Parameters> definitions() {
        return List.of(
                Parameters.of("IP0", 4096, 2251799813554177L, 36028797014376449L, 2730, 3.2, 19, 24.0, 24.0),
                Parameters.of("IP1", 4096, 1152921504606830593L, 1032193L, 2730, 3.2, 19, 34.0, 24.0));
    }
}
