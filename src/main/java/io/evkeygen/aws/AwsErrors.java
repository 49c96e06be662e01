package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
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

    static boolean hasCode(SdkException e, String... codes) {
        String c = code(e);
        for (String x : codes) {
            if (x.equals(c)) {
                return true;
            }
        }
        return false;
    }

    static int status(SdkException e) {
        return e instanceof AwsServiceException s ? s.statusCode() : -1;
    }

    /** {@code <what>: <Code>: <message> (HTTP <status>)}; credentials and connection problems named plainly. */
    static KeygenException store(String what, SdkException e) {
        return new KeygenException(KeygenException.Kind.STORE, what + ": " + describe(e),
                timedOut(e) ? KeygenException.Setting.STORE_TIMEOUT : null, e);
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
