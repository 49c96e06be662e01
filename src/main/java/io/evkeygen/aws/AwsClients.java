package io.evkeygen.aws;

import io.evkeygen.spi.remote.StoreAccess;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The one place AWS clients are configured: S3, Secrets Manager and KMS, all on the JDK's
 * URL-connection HTTP client, each call bounded by the store's deadline (KMS: the default). Endpoints,
 * credentials and retries follow the SDK's standard configuration: {@code AWS_ENDPOINT_URL},
 * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (or the system properties
 * {@code aws.endpointUrl}, {@code aws.endpointUrlS3}, {@code aws.endpointUrlSecretsManager}) are read
 * by the SDK itself. When an S3 endpoint is overridden by any of these, S3 is addressed path-style
 * ({@code http://host/bucket/key}) and checksums are sent only where required, which S3-compatible
 * servers expect.
 */
final class AwsClients {
    private AwsClients() {}

    static S3Client s3(AwsStoreConfig c) {
        return s3(c, System::getenv);
    }

    static S3Client s3(AwsStoreConfig c, Function<String, String> env) {
        var b = S3Client.builder().httpClient(http(c.access())).region(Region.of(c.region()))
                .overrideConfiguration(deadline(c.access().callTimeout()));
        if (c.credentials() != null) {
            b.credentialsProvider(c.credentials());
        }
        if (c.s3Endpoint() != null) {
            b.endpointOverride(c.s3Endpoint());
        }
        if (s3EndpointOverridden(c, env)) {
            b.forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return b.build();
    }

    static SecretsManagerClient secrets(AwsStoreConfig c) {
        var b = SecretsManagerClient.builder().httpClient(http(c.access())).region(Region.of(c.region()))
                .overrideConfiguration(deadline(c.access().callTimeout()));
        if (c.credentials() != null) {
            b.credentialsProvider(c.credentials());
        }
        if (c.secretsEndpoint() != null) {
            b.endpointOverride(c.secretsEndpoint());
        }
        return b.build();
    }

    /** A KMS client in {@code region}, or in the SDK's default region chain when null or blank. */
    static KmsClient kms(String region) {
        KmsClientBuilder b = KmsClient.builder().httpClient(http(StoreAccess.DEFAULT))
                .overrideConfiguration(deadline(StoreAccess.DEFAULT.callTimeout()));
        if (region != null && !region.isBlank()) {
            b.region(Region.of(region));
        }
        return b.build();
    }

    /** Whether S3 is reached somewhere other than AWS: explicitly, or through the standard settings. */
    static boolean s3EndpointOverridden(AwsStoreConfig c, Function<String, String> env) {
        return c.s3Endpoint() != null
                || present(env.apply("AWS_ENDPOINT_URL_S3")) || present(env.apply("AWS_ENDPOINT_URL"))
                || present(System.getProperty("aws.endpointUrlS3")) || present(System.getProperty("aws.endpointUrl"));
    }

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }

    /**
     * The deadline of one call, retries included, and of each attempt. A streamed response body
     * (GetObject) is read after the call returns: S3Objects bounds it with the same deadline.
     */
    private static ClientOverrideConfiguration deadline(Duration callTimeout) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout).build();
    }

    private static SdkHttpClient http(StoreAccess access) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(access.atMost(Duration.ofSeconds(10)))
                .socketTimeout(access.atMost(Duration.ofSeconds(60)))
                .build();
    }
}
