package io.evkeygen.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps argument values that are secrets out of error lines, and nothing else. A mistyped option
 * ({@code --sed <hex>}), a stray argument or a value given to the wrong flag makes a parser quote
 * the value. Secret are:
 * <ul>
 *   <li>the values of secret-bearing options: {@code --seed}, and any option whose name speaks of a
 *       token, secret, password, KEK or seed (a mistyped {@code --tokenn}), unless it names a file,
 *       path, id or prefix;</li>
 *   <li>any other value that looks like key material: {@value #MIN_HEX} or more hex digits, or a
 *       base64 / token68 run of {@value #MIN_TOKEN} or more characters mixing digits, upper and lower
 *       case.</li>
 * </ul>
 * Values of options that name things (key ids, paths, buckets, hosts, prefixes, regions) are the
 * user's own words and stay, as do existing paths and URLs without user info: an error that cannot
 * name the directory it refuses is useless. A secret is replaced by its length.
 */
final class Redaction {
    /** A 16-byte value in hex; seeds are 128 hex characters, KEKs 64. */
    static final int MIN_HEX = 32;
    /** A 15-byte value in base64; bearer and Vault tokens are longer. */
    static final int MIN_TOKEN = 20;
    /**
     * A secret option's value shorter than this is no secret (a seed is 128 characters), and hiding
     * it would blank every occurrence of, say, "1" in the line.
     */
    static final int MIN_SECRET_OPTION_VALUE = 8;

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{" + MIN_HEX + ",}");
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9+/_.~-]{" + MIN_TOKEN + ",}=*");
    private static final Pattern SECRET_WORDS = Pattern.compile(".*(seed|token|secret|password|passwd|kek).*");
    /** Option names ending in these take a name, not a secret ({@code --token_file}, {@code --secret_prefix}). */
    private static final Pattern NAMING_SUFFIX = Pattern.compile(
            ".*[-_](id|path|file|name|prefix|addr|address|mount|namespace|project|endpoint|issuer|scope|dir)");
    private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^@\\s]*");

    private final List<String> values = new ArrayList<>();

    Redaction(String[] args) {
        String option = null; // the option the previous word named, when it may take this word as value
        for (String a : args) {
            String value = a;
            String owner = option;
            option = null;
            if (a.startsWith("-")) {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    option = a; // a flag name alone is never hidden; the next word may be its value
                    continue;
                }
                owner = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (isSecret(owner, value)) {
                values.add(value);
            }
        }
        if (values.size() > 1) {
            values.sort(LONGEST_FIRST); // no partial leftovers
        }
    }

    /** Whether {@code value}, given after the option {@code owner} (null for a stray word), is hidden. */
    static boolean isSecret(String owner, String value) {
        if (value.length() < MIN_SECRET_OPTION_VALUE) {
            return false;
        }
        String name = owner == null ? "" : owner.toLowerCase(Locale.ROOT).replace('-', '_');
        boolean naming = NAMING_SUFFIX.matcher(name).matches() || name.equals("__address")
                || name.equals("__vault_addr");
        if (name.equals("__seed") || (SECRET_WORDS.matcher(name).matches() && !naming)) {
            return true;
        }
        if (naming || isPath(value)) {
            return false;
        }
        return looksLikeKeyMaterial(value);
    }

    /** Long hex, or a base64 / token68 run that mixes digits, upper and lower case. */
    static boolean looksLikeKeyMaterial(String v) {
        if (HEX.matcher(v).matches()) {
            return true;
        }
        if (!TOKEN68.matcher(v).matches()) {
            return false;
        }
        boolean digit = false;
        boolean upper = false;
        boolean lower = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            digit |= c >= '0' && c <= '9';
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
        }
        return digit && upper && lower;
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
        if (URL.matcher(v).matches()) {
            return true; // an address such as http://127.0.0.1:8200 (without user info): no secret
        }
        try {
            Path p = Path.of(v);
            Path parent = p.getParent();
            return Files.exists(p) || (parent != null && Files.isDirectory(parent));
        } catch (InvalidPathException | SecurityException e) {
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
