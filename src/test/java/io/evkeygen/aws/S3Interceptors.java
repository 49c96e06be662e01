package io.evkeygen.aws;

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
                if (r.method() == SdkHttpMethod.PUT && (r.firstMatchingHeader("If-Match").isPresent()
                        || r.firstMatchingHeader("If-None-Match").isPresent())) {
                    CONDITIONAL_PUTS.lock();
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
                if (CONDITIONAL_PUTS.isHeldByCurrentThread()) {
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
