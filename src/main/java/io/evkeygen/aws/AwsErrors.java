package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.ServiceCalls;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** One-line STORE errors (exit 7) from AWS SDK exceptions, naming what was attempted and the AWS error code. */
final class AwsErrors {
    private AwsErrors() {}

    /** The AWS error code of a service error ({@code NoSuchBucket}, {@code AccessDenied}, ...), or null. */
    static String code(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return s.awsErrorDetails().errorCode();
        }
        return null;
    }

    static int status(SdkException e) {
        return e instanceof AwsServiceException s ? s.statusCode() : -1;
    }

    /** {@code <what>: <Code>: <message> (HTTP <status>)}; credentials and connection problems named plainly. */
    static KeygenException store(String what, SdkException e) {
        return new KeygenException(KeygenException.Kind.STORE, what + ": " + describe(e),
                timedOut(e) ? KeygenException.Setting.STORE_TIMEOUT : null, e);
    }

    /**
     * A port's failure: TARGET_EXISTS when the name was taken (ResourceExistsException, or S3's 412 on
     * a conditional write), STORE otherwise; the message is the error code and text.
     */
    static KeygenException failure(SdkException e) {
        boolean taken = "ResourceExistsException".equals(code(e)) || S3Objects.preconditionFailed(e);
        return new KeygenException(taken ? KeygenException.Kind.TARGET_EXISTS : KeygenException.Kind.STORE,
                describe(e), timedOut(e) ? KeygenException.Setting.STORE_TIMEOUT : null, e);
    }

    /** Runs an SDK call, turning its failure into {@link #failure}. */
    static <T> T call(Supplier<T> sdkCall) {
        return ServiceCalls.call(SdkException.class, AwsErrors::failure, sdkCall);
    }

    static void run(Runnable sdkCall) {
        ServiceCalls.run(SdkException.class, AwsErrors::failure, sdkCall);
    }

    /** The call or one attempt ran past the store's deadline. */
    static boolean timedOut(SdkException e) {
        return e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            String msg = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
            return (code == null ? "HTTP " + s.statusCode() : code)
                    + (msg == null || msg.isBlank() ? "" : ": " + firstLine(msg))
                    + " (HTTP " + s.statusCode() + ")";
        }
        if (timedOut(e)) {
            return "Timeout: no complete answer within the call's deadline";
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof SdkClientException && msg.contains("Unable to load credentials")) {
            return "NoCredentials: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,"
                    + " AWS_PROFILE, or use an instance or container role)";
        }
        if (e instanceof SdkClientException && msg.contains("Unable to load region")) {
            return "NoRegion: no AWS region configured";
        }
        return "ClientError: " + firstLine(msg);
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}
