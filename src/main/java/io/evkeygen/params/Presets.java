package io.evkeygen.params;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.evkeygen.error.KeygenException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The named parameter sets, read from {@code presets.json} beside this class: adding a preset is a
 * data change, and nothing else in the code branches on a preset name.
 */
public final class Presets {
    /** Name written for parameter sets that are not a named preset. */
    public static final String CUSTOM_NAME = "RUNTIME";

    private static final List<Parameters> ALL = load();

    /** The default preset (the first entry of presets.json). */
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
     * Reads presets.json. Has no static state of its own, so {@link Parameters#IP0} can use it while
     * this class initializes without an initialization cycle.
     */
    static List<Parameters> load() {
        try (InputStream in = Presets.class.getResourceAsStream("presets.json")) {
            if (in == null) {
                throw new IllegalStateException("presets.json missing from the classpath");
            }
            List<Parameters> list = new ArrayList<>();
            try (JsonParser p = new JsonFactory().createParser(in)) {
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    throw new IllegalStateException("presets.json must be an array");
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    list.add(ParameterLiteral.read(p, ParameterLiteral.Spelling.FILE, "presets.json",
                            KeygenException.Kind.FAILURE).definePreset());
                }
            }
            return Collections.unmodifiableList(list);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read presets.json", e);
        }
    }
}
