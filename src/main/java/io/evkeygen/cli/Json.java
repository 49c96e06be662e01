package io.evkeygen.cli;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** One compact JSON object per line, for scripts. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        MAPPER.getFactory().setCharacterEscapes(new ControlEscapes());
    }

    private Json() {}

    static void print(PrintWriter out, Object value) throws IOException {
        out.println(MAPPER.writeValueAsString(value));
        out.flush();
    }

    /**
     * JSON escapes the C0 controls; DEL and the C1 controls (U+0080..U+009F, CSI among them) it
     * would write raw, and a string from a server could drive the terminal with them.
     */
    private static final class ControlEscapes extends CharacterEscapes {
        private final int[] ascii;

        ControlEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Character.isISOControl(ch) ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch)) : null;
        }
    }
}
