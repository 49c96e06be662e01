package io.evkeygen.aws;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/** S3 client interceptors that make S3Proxy behave like a worse endpoint or network, for the tests. */
final class S3Interceptors {
    private S3Interceptors() {}

    /**
     * Loses the response to the first successful PutObject whose path matches, after it was stored:
     * the client sees a 503 and the SDK retries, and the retry meets its own condition with the
     * object the first attempt wrote.
     */
    static ExecutionInterceptor dropFirstPutResponse(Predicate<String> path) {
        AtomicBoolean dropped = new AtomicBoolean();
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse c, ExecutionAttributes a) {
                boolean put = c.httpRequest().method() == SdkHttpMethod.PUT && c.httpResponse().isSuccessful()
                        && path.test(c.httpRequest().encodedPath());
                return put && dropped.compareAndSet(false, true)
                        ? c.httpResponse().toBuilder().statusCode(503).build() : c.httpResponse();
            }
        };
    }

    /** One lock for every client of the test JVM: S3Proxy is one server. */
    private static final ReentrantLock CONDITIONAL_PUTS = new ReentrantLock();
    private static final long LOCK_WAIT_SECONDS = 60;

    /**
     * Makes S3Proxy's conditional PutObject atomic, as S3's is: S3Proxy checks {@code If-Match} /
     * {@code If-None-Match} and then writes, so two racing writers may both pass the check. Every
     * conditional put of the clients carrying this interceptor is sent and answered one at a time
     * (one lock per test JVM); the check and the write still happen at the server.
     */
    static ExecutionInterceptor atomicConditionalPuts() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission c, ExecutionAttributes a) {
                SdkHttpRequest r = c.httpRequest();
                boolean conditional = r.method() == SdkHttpMethod.PUT && (r.firstMatchingHeader("If-Match").isPresent()
                        || r.firstMatchingHeader("If-None-Match").isPresent());
                // A retried attempt (its first one failed before an answer) already holds the lock: taking
                // it again would leave a hold that afterTransmission's one release does not undo.
                if (conditional && !CONDITIONAL_PUTS.isHeldByCurrentThread()) {
                    acquire();
                }
            }

            /** Waits for the lock, bounded: a leaked hold fails this put instead of hanging the test JVM. */
            private void acquire() {
                try {
                    if (!CONDITIONAL_PUTS.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("S3Interceptors: another conditional put held the lock for over "
                                + LOCK_WAIT_SECONDS + " s (a hold was leaked)");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for the conditional-put lock", e);
                }
            }

            @Override
            public void afterTransmission(Context.AfterTransmission c, ExecutionAttributes a) {
                release();
            }

            @Override
            public void onExecutionFailure(Context.FailedExecution c, ExecutionAttributes a) {
                release(); // no answer: the attempt is over
            }

            private void release() {
                while (CONDITIONAL_PUTS.isHeldByCurrentThread()) {
                    CONDITIONAL_PUTS.unlock();
                }
            }
        };
    }

    /** An S3-compatible server without (some) conditional writes: these headers never arrive. */
    static ExecutionInterceptor removeHeaders(String... names) {
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest c, ExecutionAttributes a) {
                SdkHttpRequest.Builder b = c.httpRequest().toBuilder();
                for (String n : names) {
                    b.removeHeader(n);
                }
                return b.build();
            }
        };
    }
}
