package io.evkeygen.testutil;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damages key files the way a flipped bit on disk or in transit would. */
public final class Tamper {
    private Tamper() {}

    /**
     * Replaces one base64 character of an envelope's key_data, at a relative position (0..1), with a
     * different valid one, so the JSON stays well-formed and only the key data changes.
     */
    public static void flipKeyDataChar(Path file, double where) throws Exception {
        String json = Files.readString(file, StandardCharsets.US_ASCII);
        int start = json.indexOf("\"key_data\":\"") + 12;
        int end = json.indexOf('"', start);
        int pos = start + (int) ((end - start - 3) * where);
        char replacement = json.charAt(pos) == 'A' ? 'B' : 'A';
        Files.writeString(file, json.substring(0, pos) + replacement + json.substring(pos + 1),
                StandardCharsets.US_ASCII);
    }
}
