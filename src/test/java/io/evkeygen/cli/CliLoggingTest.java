package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What --verbose lets through: our records, escaped; never a gRPC or Netty record that can carry request headers. */
class CliLoggingTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    @AfterEach
    void quiet() {
        CliLogging.configure(false, System.err);
    }

    private String verbose(Runnable logging) {
        CliLogging.configure(true, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        System.gc(); // a logger configured but not held would lose its level here
        logging.run();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void headerDumpsOfGrpcAndNettyNeverReachStderr() {
        String err = verbose(() -> {
            // grpc-java's record for a header value it will not send: the value's bytes (66 = 'B', ...)
            Logger.getLogger("io.grpc.internal.TransportFrameUtil").warning(
                    "Metadata key=authorization, value=[66, 101, 97, 114, 101, 114] contains invalid ASCII characters");
            // Netty's HTTP/2 frame logger under grpc-netty-shaded (DEBUG, i.e. FINE)
            Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler").fine(
                    "OUTBOUND HEADERS: authorization: Bearer frame-token");
            Logger.getLogger("io.grpc.ManagedChannelImpl").warning("a channel warning");
            Logger.getLogger("io.evkeygen.server").fine("our own record");
        });
        assertFalse(err.contains("value=["), err);
        assertFalse(err.contains("frame-token"), err);
        assertTrue(err.contains("io.grpc.ManagedChannelImpl: a channel warning"), err);
        assertTrue(err.contains("io.evkeygen.server: our own record"), err);
    }

    @Test
    void recordsAreOneLineWithControlCharactersEscaped() {
        String err = verbose(() -> Logger.getLogger("io.evkeygen.server").info("key \u001b[2Jk\u0007 from a server"));
        assertTrue(err.contains("io.evkeygen.server: key \\u001b[2Jk\\u0007 from a server"), err);
        assertFalse(err.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n'), err);
    }
}
