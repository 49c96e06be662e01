package io.evkeygen.internal.envelope;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Compact, key-sorted JSON exactly as Python's
 * {@code json.dumps(obj, sort_keys=True, separators=(",", ":"))} prints it (ensure_ascii on), for
 * the small objects of an envelope. Values: {@code null}, Boolean, String, Integer/Long/BigInteger,
 * Double (Python float repr), {@code Map<String, ?>}, Collection, and {@link #HOLE}.
 *
 * <p>The output is pure ASCII, so its {@code String} and byte forms have the same length.
 */
public final class CanonicalJson {
    private CanonicalJson() {}

    /**
     * Placeholder value that prints nothing and records where it stands, so a writer can stream a
     * large value (key_data) into that spot.
     */
    public static final Object HOLE = new Object() {
        @Override
        public String toString() {
            return "HOLE";
        }
    };

    /** Python sorts str keys by code point; String.compareTo uses UTF-16 units, which differs above U+FFFF. */
    public static final Comparator<String> KEY_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    /** The canonical text of a value (which must not contain a {@link #HOLE}). */
    public static String toJson(Object value) {
        StringBuilder sb = new StringBuilder(256);
        List<Integer> holes = new ArrayList<>();
        append(sb, value, holes);
        if (!holes.isEmpty()) {
            throw new IllegalArgumentException("value contains a HOLE: use toJson(value, holes)");
        }
        return sb.toString();
    }

    /** The canonical text, with the offsets of every {@link #HOLE} added to {@code holes}. */
    public static String toJson(Object value, List<Integer> holes) {
        StringBuilder sb = new StringBuilder(1024);
        append(sb, value, holes);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value, List<Integer> holes) {
        if (value == HOLE) {
            holes.add(sb.length());
        } else if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            appendString(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            sb.append(value);
        } else if (value instanceof Double d) {
            sb.append(PythonFloat.json(d));
        } else if (value instanceof Map<?, ?> map) {
            appendObject(sb, map, holes);
        } else if (value instanceof Collection<?> list) {
            sb.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                append(sb, item, holes);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("no canonical JSON form for " + value.getClass().getName());
        }
    }

    private static void appendObject(StringBuilder sb, Map<?, ?> map, List<Integer> holes) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings");
            }
            keys.add(s);
        }
        keys.sort(KEY_ORDER);
        sb.append('{');
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            appendString(sb, keys.get(i));
            sb.append(':');
            append(sb, map.get(keys.get(i)), holes);
        }
        sb.append('}');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string with Python's ensure_ascii escaping (UTF-16 units, so surrogate pairs come out as two escapes). */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15])
                                .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** {@link #appendString} as a new String. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendString(sb, s);
        return sb.toString();
    }
}
