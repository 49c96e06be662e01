package io.evkeygen.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;

/** One compact JSON object per line, for scripts. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static void print(PrintWriter out, Object value) throws IOException {
        out.println(MAPPER.writeValueAsString(value));
        out.flush();
    }
}
