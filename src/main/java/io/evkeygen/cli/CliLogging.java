package io.evkeygen.cli;

import io.evkeygen.internal.text.Printable;
import java.io.PrintStream;
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
 */
final class CliLogging {
    private CliLogging() {}

    static void configure(boolean verbose, PrintStream err) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(verbose ? Level.INFO : Level.OFF);
        Logger.getLogger("io.evkeygen").setLevel(verbose ? Level.FINE : Level.OFF);
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

    /** {@code evkeygen: [INFO] io.evkeygen.engine: message}. */
    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            String message = formatMessage(r);
            return ErrorReporter.PREFIX + "[" + r.getLevel().getName() + "] " + r.getLoggerName() + ": "
                    + Printable.escape(ErrorReporter.oneLine(message)) + System.lineSeparator();
        }
    }
}
