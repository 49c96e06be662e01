package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns any failure into one {@code evkeygen: } line on stderr and a documented exit code. */
final class ErrorReporter {
    static final String PREFIX = "evkeygen: ";

    private ErrorReporter() {}

    static int report(Throwable ex, PrintWriter err, boolean debug, Redaction redaction) {
        Throwable t = ex instanceof UncheckedIOException ? ex.getCause() : ex;
        int code;
        String line;
        if (t instanceof KeygenException k) {
            code = ExitCodes.of(k.kind());
            line = ExitCodes.message(k);
        } else if (t instanceof IOException io) {
            code = ExitCodes.IO;
            line = describe(io);
        } else if (t instanceof OutOfMemoryError) {
            code = ExitCodes.FAILURE;
            line = "out of memory: raise -Xmx, or use fewer or smaller dims";
        } else {
            code = ExitCodes.FAILURE;
            line = "internal error: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())
                    + (debug ? "" : " (run with --debug for details)");
        }
        err.println(errorLine(line, redaction));
        if (debug) {
            StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            err.print(redaction.apply(trace.toString())); // exception messages may quote argument values
        }
        err.flush();
        return code;
    }

    /** Java's file exceptions often carry only a path as message; name what happened. */
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof FileSystemException f) {
            return "i/o error on " + f.getFile() + (f.getReason() == null ? "" : ": " + f.getReason());
        }
        return "i/o error: " + e.getMessage();
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", "; ").trim();
    }

    /**
     * The one line printed for an error: argument values redacted, control characters escaped, then
     * prefixed (an argument that repeats the prefix's words must not redact the prefix itself).
     */
    static String errorLine(String message, Redaction redaction) {
        return PREFIX + Printable.escape(redaction.apply(oneLine(message)));
    }
}
