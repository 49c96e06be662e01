package io.evkeygen.spi.remote;

import io.evkeygen.error.KeygenException;
import java.util.function.Function;
import java.util.function.Supplier;

/** How a port runs one call of its service client: the client's own exceptions become the port's failure. */
public final class ServiceCalls {
    private ServiceCalls() {}

    /** Runs {@code call}; an exception of {@code type} is mapped by {@code failure}, anything else passes. */
    public static <T, E extends RuntimeException> T call(Class<E> type, Function<E, KeygenException> failure,
            Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (type.isInstance(e) && !(e instanceof KeygenException)) {
                throw failure.apply(type.cast(e));
            }
            throw e;
        }
    }

    /** {@link #call} for a call without a result. */
    public static <E extends RuntimeException> void run(Class<E> type, Function<E, KeygenException> failure,
            Runnable call) {
        call(type, failure, () -> {
            call.run();
            return null;
        });
    }
}
