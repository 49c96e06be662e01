package io.evkeygen.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps argument values that can be secrets out of error lines. A mistyped option ({@code --sed
 * <hex>}), a stray argument or a value given to the wrong flag makes a parser quote the value; any
 * value of {@value #MIN_SECRET} characters or more (a 128-hex seed, a hex KEK, a token) is replaced
 * by its length. Shorter values (a dimension, a mode) stay, so usage errors remain useful.
 */
final class Redaction {
    /** Shorter values are not secrets this tool takes: seeds are 128 characters, KEKs 32 bytes. */
    static final int MIN_SECRET = 16;

    private final List<String> values = new ArrayList<>();

    Redaction(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                int eq = a.indexOf('=');
                if (eq > 0 && a.length() - eq - 1 >= MIN_SECRET) {
                    values.add(a.substring(eq + 1)); // --seed=<hex>; a flag name alone is never hidden
                }
            } else if (a.length() >= MIN_SECRET) {
                values.add(a);
            }
        }
        values.sort(Comparator.comparingInt(String::length).reversed()); // longest first: no partial leftovers
    }

    String apply(String line) {
        String out = line;
        for (String v : values) {
            out = out.replace(v, "<" + v.length() + " characters, not shown>");
        }
        return out;
    }
}
