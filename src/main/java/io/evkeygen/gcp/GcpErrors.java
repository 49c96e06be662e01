package io.evkeygen.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.BaseServiceException;
import io.evkeygen.error.KeygenException;
import io.evkeygen.error.Printable;
import io.evkeygen.spi.remote.ServiceCalls;
import java.io.IOException;
import java.util.function.Supplier;

/** One-line STORE errors (exit 7) from Google client exceptions, naming what was attempted and the error code. */
final class GcpErrors {
    private GcpErrors() {}

    /** Whether {@code e} is a gRPC/gax error with one of these status codes ({@code NOT_FOUND}, ...). */
    static boolean grpc(RuntimeException e, String... codes) {
        if (e instanceof ApiException a) {
            String c = a.getStatusCode().getCode().name();
            for (String x : codes) {
                if (x.equals(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The HTTP status of a Cloud Storage error, or -1. */
    static int http(RuntimeException e) {
        return e instanceof BaseServiceException b ? b.getCode() : -1;
    }

    static boolean isClientError(RuntimeException e) {
        return e instanceof ApiException || e instanceof BaseServiceException;
    }

    static KeygenException store(String what, RuntimeException e) {
        return new KeygenException(KeygenException.Kind.STORE, what + ": " + describe(e),
                grpc(e, "DEADLINE_EXCEEDED") ? KeygenException.Setting.STORE_TIMEOUT : null, e);
    }

    /**
     * A port's failure: TARGET_EXISTS when the name was taken (ALREADY_EXISTS, or HTTP 412 on
     * {@code ifGenerationMatch=0}), STORE otherwise; the message is the error code and text.
     */
    static KeygenException failure(RuntimeException e) {
        boolean taken = grpc(e, "ALREADY_EXISTS") || http(e) == 412;
        return new KeygenException(taken ? KeygenException.Kind.TARGET_EXISTS : KeygenException.Kind.STORE,
                describe(e), grpc(e, "DEADLINE_EXCEEDED") ? KeygenException.Setting.STORE_TIMEOUT : null, e);
    }

    /**
     * The clients could not be set up: the credentials (a missing or unreadable
     * GOOGLE_APPLICATION_CREDENTIALS file, none found at all) could not be loaded. STORE, as AWS's.
     * The library's words are cut to one line: they name the file, never its content.
     */
    static KeygenException credentials(IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
        return new KeygenException(KeygenException.Kind.STORE, "cannot load the Google Cloud credentials: "
                + Printable.escape(msg.length() > 300 ? msg.substring(0, 300) + "..." : msg)
                + " (set GOOGLE_APPLICATION_CREDENTIALS to a credentials file, or run 'gcloud auth application-default login')", e);
    }

    /** Runs a client call, turning its failure into {@link #failure}. */
    static <T> T call(Supplier<T> clientCall) {
        return ServiceCalls.call(RuntimeException.class, GcpErrors::failure, clientCall);
    }

    static void run(Runnable clientCall) {
        ServiceCalls.run(RuntimeException.class, GcpErrors::failure, clientCall);
    }

    /** {@code PERMISSION_DENIED: <message>} for gRPC, {@code <reason>: <message> (HTTP 403)} for Cloud Storage. */
    static String describe(RuntimeException e) {
        if (e instanceof ApiException a) {
            String msg = a.getMessage();
            String code = a.getStatusCode().getCode().name();
            if (msg != null && msg.startsWith("io.grpc.StatusRuntimeException: ")) {
                msg = msg.substring("io.grpc.StatusRuntimeException: ".length());
            }
            if (msg != null && msg.startsWith(code + ": ")) {
                msg = msg.substring(code.length() + 2);
            }
            return code + (msg == null || msg.isBlank() ? "" : ": " + firstLine(msg)) + hint(code);
        }
        if (e instanceof BaseServiceException b && b.getCode() == 0 && b.getMessage() != null
                && b.getMessage().contains("refreshing the access token")) {
            return "UNAUTHENTICATED: the credentials were refused and cannot be refreshed (check Application Default"
                    + " Credentials)";
        }
        if (e instanceof BaseServiceException b && b.getCode() == 0) { // no HTTP exchange: connection, DNS, TLS
            String msg = b.getMessage() == null ? b.getClass().getSimpleName() : b.getMessage();
            return "ConnectionError: " + firstLine(msg);
        }
        if (e instanceof BaseServiceException b) {
            String reason = b.getReason();
            String msg = b.getMessage();
            return (reason == null || reason.isBlank() ? "HTTP " + b.getCode() : reason)
                    + (msg == null || msg.isBlank() ? "" : ": " + firstLine(msg))
                    + (b.getCode() > 0 ? " (HTTP " + b.getCode() + ")" : "") + hint(b.getCode() == 401 ? "UNAUTHENTICATED" : "");
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.contains("Application Default Credentials") || msg.contains("default credentials")) {
            return "NoCredentials: no Google Cloud credentials found (run 'gcloud auth application-default login'"
                    + " or set GOOGLE_APPLICATION_CREDENTIALS)";
        }
        return "ClientError: " + firstLine(msg);
    }

    private static String hint(String code) {
        return "UNAUTHENTICATED".equals(code) ? " (check Application Default Credentials)" : "";
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
