package io.evkeygen.cli;

import io.evkeygen.keyset.ProgressListener;
import java.io.PrintWriter;

/** A percentage on one terminal line, redrawn only when the whole percent changes. */
final class ProgressLine implements ProgressListener {
    private final PrintWriter err;
    private int shown = -1;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    @Override
    public void evalKeyProgress(long done, long total) {
        int pct = total <= 0 ? 100 : (int) (100 * done / total);
        if (pct != shown) {
            shown = pct;
            err.print("\r" + ErrorReporter.PREFIX + "generating EvalKey " + pct + "%");
            if (pct >= 100) {
                err.println();
            }
            err.flush();
        }
    }
}
