package io.evkeygen.spi.remote;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** One daemon timer thread that ends remote calls still running at their deadline. */
public final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private Deadlines() {}

    /** Runs {@code end} after {@code delay} (at once when it is not positive), unless cancelled first. */
    public static ScheduledFuture<?> at(Duration delay, Runnable end) {
        return TIMER.schedule(end, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "evkeygen-store-deadline");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
