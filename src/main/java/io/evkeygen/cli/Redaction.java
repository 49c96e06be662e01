package io.evkeygen.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps argument values that can be secrets out of error lines. A mistyped option ({@code --sed
 * <hex>}), a stray argument or a value given to the wrong flag makes a parser quote the value; any
 * value of {@value #MIN_SECRET} characters or more (a 128-hex seed, a hex KEK, a token) is replaced
 * by its length. Shorter values (a dimension, a mode) and paths stay, so errors remain useful.
 */
final class Redaction {
    /** Shorter values are not secrets this tool takes: seeds are 128 characters, KEKs 32 bytes. */
    static final int MIN_SECRET = 16;

    private final List<String> values = new ArrayList<>();

    Redaction(String[] args) {
        for (String a : args) {
            String v = a;
            if (a.startsWith("-")) {
                int eq = a.indexOf('=');
                v = eq > 0 ? a.substring(eq + 1) : "";  // --seed=<hex>; a flag name alone is never hidden
            }
            if (v.length() >= MIN_SECRET && !isPath(v)) {
                values.add(v);
            }
        }
        if (values.size() > 1) {
            values.sort(LONGEST_FIRST); // no partial leftovers
        }
    }

    /**
     * Longest first. Not {@code Comparator.comparingInt(...).reversed()}: that lambda lives in
     * java.util.Comparator, outside the launcher's class-data archive, and would be generated on
     * every start.
     */
    private static final Comparator<String> LONGEST_FIRST = (a, b) -> Integer.compare(b.length(), a.length());

    /**
     * A file or directory path (it exists, or its parent directory does) or a URL without user info:
     * named in errors as it is, since "no such file" is useless without the file. Seeds, KEKs and
     * tokens are neither.
     */
    static boolean isPath(String v) {
        if (v.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^@\\s]*")) {
            return true; // an address such as http://127.0.0.1:8200 (without user info): no secret
        }
        try {
            java.nio.file.Path p = java.nio.file.Path.of(v);
            java.nio.file.Path parent = p.getParent();
            return java.nio.file.Files.exists(p) || (parent != null && java.nio.file.Files.isDirectory(parent));
        } catch (java.nio.file.InvalidPathException | SecurityException e) {
            return false;
        }
    }

    String apply(String line) {
        String out = line;
        for (String v : values) {
            out = out.replace(v, "<" + v.length() + " characters, not shown>");
        }
        return out;
    }
}
