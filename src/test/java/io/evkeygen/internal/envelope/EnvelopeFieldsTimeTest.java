package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written time format prints what the formatter it replaced printed, and parses back. */
class EnvelopeFieldsTimeTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void sameTextAsTheFormatterAcrossTheYearsAndBeyond() {
        Random random = new Random(12);
        long[] seconds = {0, 1, -1, 59, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 4_102_444_799L,
            Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(), Instant.parse("9999-12-31T23:59:59Z").getEpochSecond(),
            Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond(), Instant.parse("-0001-12-31T23:59:59Z").getEpochSecond()};
        for (long s : seconds) {
            check(Instant.ofEpochSecond(s, 999_999_999));
        }
        for (int i = 0; i < 20_000; i++) {
            check(Instant.ofEpochSecond(random.nextLong() % 253_402_300_800L, random.nextInt(1_000_000_000)));
        }
    }

    private static void check(Instant t) {
        String text = EnvelopeFields.formatTime(t);
        assertEquals(REFERENCE.format(t.truncatedTo(ChronoUnit.SECONDS)), text, t.toString());
        if (t.getEpochSecond() >= 0 && t.getEpochSecond() < 253_402_300_800L) {
            assertEquals(t.truncatedTo(ChronoUnit.SECONDS), EnvelopeFields.parseTime(text), text);
        }
    }
}
