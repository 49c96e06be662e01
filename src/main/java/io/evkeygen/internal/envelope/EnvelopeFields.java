package io.evkeygen.internal.envelope;

import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.Parameters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fixed and derived envelope fields of spec section 6, shared by writer and reader so both
 * compute aad, integrity and timestamps the same way.
 */
public final class EnvelopeFields {
    private EnvelopeFields() {}

    public static final int FORMAT_VERSION = 1;
    public static final String KEY_VERSION = "1";
    public static final String DIGEST_TYPE = "SHA256";
    public static final String STATE_ACTIVE = "active";
    /**
     * MetadataKey.json only (this project's format): {@code entries[0].metadata.enckey_sha256}, the
     * base64 SHA-256 of the set's EncKey.bin, which binds the metadata key to its set.
     */
    public static final String ENCKEY_BINDING = "enckey_sha256";
    /** expires_at = created_at + 1825 days. */
    public static final Duration VALIDITY = Duration.ofDays(1825);

    private static final Pattern TIME_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    /**
     * {@code 2026-11-28T12:54:43Z}: UTC, to the second, as
     * {@code DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")} prints it. Years 0000-9999 by
     * hand, because building that formatter costs a cold JVM several milliseconds of a one-shot run.
     */
    public static String formatTime(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        if (d.getYear() < 0 || d.getYear() > 9999) {
            return FarTime.FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS));
        }
        char[] c = "0000-00-00T00:00:00Z".toCharArray();
        digits(c, 0, 4, d.getYear());
        digits(c, 5, 2, d.getMonthValue());
        digits(c, 8, 2, d.getDayOfMonth());
        digits(c, 11, 2, d.getHour());
        digits(c, 14, 2, d.getMinute());
        digits(c, 17, 2, d.getSecond());
        return new String(c);
    }

    /** The formatter itself, built only for a year outside 0000-9999. */
    static final class FarTime {
        static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    }

    private static void digits(char[] c, int at, int width, int value) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** Parses exactly the {@link #formatTime} shape, or returns null. */
    public static Instant parseTime(String text) {
        if (text == null || !TIME_SHAPE.matcher(text).matches()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static Instant expiresAt(Instant createdAt) {
        return createdAt.truncatedTo(ChronoUnit.SECONDS).plus(VALIDITY);
    }

    /** provider_meta of a locally generated key. */
    public static Map<String, Object> localProviderMeta() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider_version", "1");
        m.put("type", "LOCAL");
        m.put("version_id", "");
        m.put("wrap_alg", "");
        return m;
    }

    public static Map<String, Object> requesterObject(Requester r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("entity", r.entity());
        m.put("method", r.method());
        m.put("type", r.type());
        return m;
    }

    /**
     * The {@code metadata.parameter} block; scale factors are Python floats. Custom parameter sets
     * ({@code "preset":"RUNTIME"}) also carry N and the Hamming weight, which no preset name implies.
     */
    public static Map<String, Object> parameterObject(Parameters p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("DB_SCALE_FACTOR", p.dbScale());
        if (!p.isNamedPreset()) {
            m.put("HAMMING_WEIGHT", (long) p.hammingWeight());
            m.put("N", (long) p.n());
        }
        m.put("P", p.p());
        m.put("Q", p.q());
        m.put("QUERY_SCALE_FACTOR", p.queryScale());
        m.put("preset", p.preset());
        return m;
    }

    /**
     * aad.value: B64(SHA-256(canonical JSON of exactly these seven fields)). providerMeta and
     * requester are JSON objects as {@link CanonicalJson} takes them (the reader passes what it parsed).
     */
    public static String aadValue(String createdAt, String expiresAt, Object formatVersion, String kid,
                                  Object providerMeta, Object requester, String usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("created_at", createdAt);
        m.put("expires_at", expiresAt);
        m.put("format_version", formatVersion);
        m.put("kid", kid);
        m.put("provider_meta", providerMeta);
        m.put("requester", requester);
        m.put("usage", usage);
        return Sha256.base64OfAscii(CanonicalJson.toJson(m));
    }

    /** integrity.value: B64(SHA-256(ASCII {@code <kid>:<tag>:integrity})). */
    public static String integrityValue(String kid, KeyFileKind kind) {
        // UTF-8, as Python's str.encode() does; for the usual ASCII kid that is the ASCII text
        String text = kid + ":" + kind.integrityTag() + ":integrity";
        return Base64.getEncoder().encodeToString(Sha256.of(text.getBytes(StandardCharsets.UTF_8)));
    }
}
