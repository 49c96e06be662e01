package io.evkeygen.gcp;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.util.Date;

/** One FakeGcsServer and one FakeSecretManagerServer for the test JVM, reset per test. */
public final class GcpTestServers {
    public static final String PROJECT = "evk-test-project";
    public static final String TOKEN = "ya29.fake-access-token";

    private static GcpTestServers shared;

    private final FakeGcsServer gcs;
    private final FakeSecretManagerServer secrets;

    private GcpTestServers() throws IOException {
        gcs = new FakeGcsServer();
        secrets = new FakeSecretManagerServer(PROJECT);
    }

    public static synchronized GcpTestServers get() throws IOException {
        if (shared == null) {
            shared = new GcpTestServers();
        }
        shared.gcs.reset();
        shared.secrets.reset();
        shared.gcs.expectToken(TOKEN);
        shared.secrets.expectToken(null); // a plaintext endpoint gets no credentials
        return shared;
    }

    public FakeGcsServer gcs() {
        return gcs;
    }

    public FakeSecretManagerServer secrets() {
        return secrets;
    }

    /** An OAuth2 access token as ADC would give, so both fakes can check the bearer header. */
    public static GoogleCredentials credentials(String token) {
        return GoogleCredentials.create(new AccessToken(token, new Date(System.currentTimeMillis() + 3_600_000)));
    }

    /** A config for {@code bucket} (created in the fake) on both fakes, with the expected token. */
    public GcpStoreConfig config(String bucket) {
        gcs.createBucket(bucket);
        return new GcpStoreConfig(PROJECT, bucket, null, credentials(TOKEN), gcs.host(), secrets.endpoint());
    }
}
