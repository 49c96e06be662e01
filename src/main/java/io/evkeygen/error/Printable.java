package io.evkeygen.error;

import java.util.Locale;

/**
 * Text shown on a terminal that came from elsewhere (an argument echoed in an error, a key id or a
 * message from a server): control characters are shown escaped, so the text stays on its line and
 * cannot drive the user's terminal (an escape sequence, a carriage return, a forged line). The
 * messages of {@link KeygenException}s that quote a remote party are escaped with it already.
 */
public final class Printable {
    private Printable() {}

    /** {@code s} with each control character shown as {@code \t} or {@code \}{@code uXXXX}; null stays null. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(c == '\t' ? "\\t" : String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
