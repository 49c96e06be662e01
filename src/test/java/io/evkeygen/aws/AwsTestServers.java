package io.evkeygen.aws;

import java.net.URI;
import java.util.List;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One S3Proxy (a real S3 server, in-memory blob store, checking SigV4 signatures) and one
 * {@link FakeSecretsManagerServer} per test JVM, both on 127.0.0.1 with free ports, stopped at exit.
 */
public final class AwsTestServers {
    public static final String ACCESS_KEY = "AKIDEVKEYGENTEST";
    public static final String SECRET_KEY = "evkeygen-test-secret-key";
    public static final String REGION = "us-east-1";
    public static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));

    private static AwsTestServers instance;

    private final S3Proxy s3proxy;
    private final URI s3Endpoint;
    private final FakeSecretsManagerServer secrets;
    private int buckets;

    private AwsTestServers() throws Exception {
        s3proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(s3proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + s3proxy.getState());
            }
            Thread.sleep(20);
        }
        s3Endpoint = URI.create("http://127.0.0.1:" + s3proxy.getPort());
        secrets = new FakeSecretsManagerServer();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            secrets.close();
            try {
                s3proxy.stop();
            } catch (Exception e) {
                // exiting anyway
            }
        }));
    }

    public static synchronized AwsTestServers get() throws Exception {
        if (instance == null) {
            instance = new AwsTestServers();
        }
        return instance;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    public URI secretsEndpoint() {
        return secrets.endpoint();
    }

    public FakeSecretsManagerServer secrets() {
        return secrets;
    }

    /** A fresh, empty bucket. */
    public synchronized String newBucket() {
        String name = "evkeygen-test-" + (++buckets);
        try (S3Client s3 = s3()) {
            s3.createBucket(r -> r.bucket(name));
        }
        return name;
    }

    /** A client for assertions, on the same endpoint and credentials. */
    public S3Client s3() {
        return AwsClients.s3(config("unused"));
    }

    /** An S3 client on these servers, as the store builds one, whose requests and responses pass {@code interceptors}. */
    public static S3Client s3(AwsStoreConfig c, ExecutionInterceptor... interceptors) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(c.region())).credentialsProvider(c.credentials())
                .endpointOverride(c.s3Endpoint()).forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> List.of(interceptors).forEach(o::addExecutionInterceptor)).build();
    }

    /** Store configuration for {@code bucket} on these servers with static credentials. */
    public AwsStoreConfig config(String bucket) {
        return AwsStoreConfig.of(REGION, bucket, "")
                .withCredentials(CREDENTIALS)
                .withEndpoints(s3Endpoint, secrets.endpoint());
    }
}
