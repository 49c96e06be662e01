package io.evkeygen.kms.server;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * One line per call: {@code kms-audit <time> principal=<p> rpc=<Rpc> key_id=<id> result=<code>}.
 * Key ids and principals are escaped; tokens, keys and metadata never appear.
 */
final class AuditLog {
    private final Consumer<String> out;
    private final Clock clock;

    AuditLog(Consumer<String> out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    void record(String principal, String rpc, String keyId, String result) {
        String line = "kms-audit " + clock.instant().truncatedTo(ChronoUnit.MILLIS) + " principal="
                + field(principal) + " rpc=" + rpc + " key_id=" + field(keyId) + " result=" + result;
        synchronized (this) {
            out.accept(line);
        }
    }

    private static String field(String s) {
        return s == null || s.isEmpty() ? "-" : KmsError.oneLine(s).replace(' ', '_');
    }
}
