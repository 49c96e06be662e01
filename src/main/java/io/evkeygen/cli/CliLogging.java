package io.evkeygen.cli;

import io.evkeygen.error.Printable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The CLI owns java.util.logging, where the library's System.Logger records and (through
 * slf4j-jdk14) the AWS SDK's land: silent by default, so stderr carries only our own one-line
 * messages; {@code --verbose} shows them, one line each.
 *
 * <p>gRPC and its Netty never log below INFO, even under {@code --verbose}: their FINE records
 * include HTTP/2 header frames, the bearer token among them. grpc-java's TransportFrameUtil is off:
 * its one record (a WARNING) lists the bytes of a header value it refuses to send.
 */
final class CliLogging {
    /** java.util.logging holds loggers weakly: one collected forgets the level set here. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private CliLogging() {}

    static synchronized void configure(boolean verbose, PrintStream err) {
        LogManager.getLogManager().reset();
        CONFIGURED.clear();
        Logger root = level("", verbose ? Level.INFO : Level.OFF);
        level("io.evkeygen", verbose ? Level.FINE : Level.OFF);
        level("io.grpc", verbose ? Level.INFO : Level.OFF); // io.grpc.netty.shaded.io.netty too
        level("io.netty", verbose ? Level.INFO : Level.OFF);
        level("io.grpc.internal.TransportFrameUtil", Level.OFF);
        if (verbose) {
            Handler h = new StreamHandler(err, new OneLine()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            h.setLevel(Level.ALL);
            root.addHandler(h);
        }
    }

    private static Logger level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
        return logger;
    }

    /** {@code evkeygen: [INFO] io.evkeygen.engine: message}, control characters escaped. */
    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            String message = formatMessage(r);
            return ErrorReporter.PREFIX + "[" + r.getLevel().getName() + "] " + r.getLoggerName() + ": "
                    + Printable.escape(ErrorReporter.oneLine(message)) + System.lineSeparator();
        }
    }
}
