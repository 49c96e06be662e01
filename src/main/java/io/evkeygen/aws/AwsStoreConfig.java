package io.evkeygen.aws;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.BlobNames;
import io.evkeygen.spi.remote.StoreAccess;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Where an AWS key store lives and how to reach it.
 *
 * @param region      AWS region, e.g. {@code us-east-1} (required)
 * @param bucket      S3 bucket for EncKey and EvalKey (required)
 * @param prefix      name prefix; null or empty means {@code envector/keys}
 * @param credentials null: the SDK's default chain (environment, profile, container, instance role)
 * @param s3Endpoint  null: the SDK's own resolution, including {@code AWS_ENDPOINT_URL_S3} and
 *                    {@code AWS_ENDPOINT_URL}
 * @param secretsEndpoint null: likewise, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}
 * @param partSize    multipart part size in bytes (at least 5 MiB); bodies larger than this go multipart
 * @param access      the deadline of each call (one part of a multipart upload, one object download)
 *                    and whether an {@code http://} endpoint on another machine is allowed; null means
 *                    {@link StoreAccess#DEFAULT} (120 s, refused)
 */
public record AwsStoreConfig(String region, String bucket, String prefix, AwsCredentialsProvider credentials,
                             URI s3Endpoint, URI secretsEndpoint, long partSize, StoreAccess access) {
    /** S3's smallest part (except the last). */
    public static final long MIN_PART_SIZE = 5L << 20;
    /** Default part size: the JDK HTTP client buffers each request body, so this bounds memory per request. */
    public static final long DEFAULT_PART_SIZE = 16L << 20;

    public AwsStoreConfig {
        if (region == null || region.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.REGION, "the AWS key store needs a region");
        }
        if (bucket == null || bucket.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.BUCKET, "the AWS key store needs a bucket name");
        }
        if (partSize < MIN_PART_SIZE) {
            throw KeygenException.usage("multipart part size must be at least " + MIN_PART_SIZE + " bytes");
        }
        BlobNames.prefix(prefix); // refuses a prefix that would leave its place
        access = StoreAccess.orDefault(access);
    }

    /** With the default access: 120 s per call, plaintext only to this machine. */
    public AwsStoreConfig(String region, String bucket, String prefix, AwsCredentialsProvider credentials,
                          URI s3Endpoint, URI secretsEndpoint, long partSize) {
        this(region, bucket, prefix, credentials, s3Endpoint, secretsEndpoint, partSize, null);
    }

    /** Region, bucket and prefix; everything else from the SDK's standard configuration. */
    public static AwsStoreConfig of(String region, String bucket, String prefix) {
        return new AwsStoreConfig(region, bucket, prefix, null, null, null, DEFAULT_PART_SIZE, null);
    }

    public AwsStoreConfig withCredentials(AwsCredentialsProvider provider) {
        return new AwsStoreConfig(region, bucket, prefix, provider, s3Endpoint, secretsEndpoint, partSize, access);
    }

    public AwsStoreConfig withEndpoints(URI s3, URI secrets) {
        return new AwsStoreConfig(region, bucket, prefix, credentials, s3, secrets, partSize, access);
    }

    public AwsStoreConfig withPrefix(String p) {
        return new AwsStoreConfig(region, bucket, p, credentials, s3Endpoint, secretsEndpoint, partSize, access);
    }

    public AwsStoreConfig withPartSize(long size) {
        return new AwsStoreConfig(region, bucket, prefix, credentials, s3Endpoint, secretsEndpoint, size, access);
    }

    /** The same store reached with {@code a}: its call deadline, and whether remote {@code http://} is allowed. */
    public AwsStoreConfig withAccess(StoreAccess a) {
        return new AwsStoreConfig(region, bucket, prefix, credentials, s3Endpoint, secretsEndpoint, partSize, a);
    }

    public AwsLayout layout() {
        return new AwsLayout(prefix);
    }

    @Override
    public String toString() {
        return "AwsStoreConfig[" + region + ", s3://" + bucket + "/" + layout().root()
                + (s3Endpoint == null ? "" : ", s3 " + s3Endpoint)
                + (secretsEndpoint == null ? "" : ", secrets " + secretsEndpoint) + "]";
    }
}
