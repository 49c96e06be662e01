package io.evkeygen.gcp;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.evkeygen.spi.remote.Deadlines;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;

/**
 * The one place the Google clients are configured: Cloud Storage over its JSON API, Secret Manager
 * over gRPC, both with Application Default Credentials unless the config names credentials. An
 * endpoint override (an emulator, a test fake): Cloud Storage with the given credentials or none,
 * Secret Manager in plaintext and therefore never with credentials.
 */
final class GcpClients {
    private GcpClients() {}

    static Storage storage(GcpStoreConfig c) {
        Duration deadline = c.access().callTimeout();
        StorageOptions.Builder b = StorageOptions.http().setProjectId(c.project())
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setHttpTransportFactory(() -> deadlineTransport(deadline))
                        .setConnectTimeout((int) c.access().atMost(Duration.ofSeconds(20)).toMillis())
                        .setReadTimeout((int) c.access().atMost(Duration.ofSeconds(20)).toMillis())
                        .build());
        if (c.storageHost() != null) {
            b.setHost(c.storageHost()).setCredentials(c.credentials() != null ? c.credentials() : NoCredentials.getInstance());
        } else if (c.credentials() != null) {
            b.setCredentials(c.credentials());
        }
        return b.build().getService();
    }

    static SecretManagerServiceClient secrets(GcpStoreConfig c) {
        try {
            SecretManagerServiceSettings.Builder b = SecretManagerServiceSettings.newBuilder();
            Duration deadline = c.access().callTimeout();
            // each call, its retries included, within the deadline: a gRPC deadline covers the whole response
            b.applyToAllUnaryMethods(m -> {
                m.setRetrySettings(m.getRetrySettings().toBuilder().setLogicalTimeout(deadline).build());
                return null;
            });
            if (c.secretManagerEndpoint() != null) {
                // plaintext: never send credentials over it (gRPC refuses to, too)
                b.setEndpoint(c.secretManagerEndpoint())
                        .setCredentialsProvider(NoCredentialsProvider.create())
                        .setTransportChannelProvider(InstantiatingGrpcChannelProvider.newBuilder()
                                .setEndpoint(c.secretManagerEndpoint())
                                .setChannelConfigurator(ch -> ch.usePlaintext())
                                .build());
            } else if (c.credentials() != null) {
                b.setCredentialsProvider(FixedCredentialsProvider.create(c.credentials()));
            }
            return SecretManagerServiceClient.create(b.build());
        } catch (IOException e) { // with no explicit credentials: Application Default Credentials unreadable
            throw GcpErrors.credentials(e);
        }
    }

    /**
     * Google's HTTP transport on the JDK's connections, each closed at the deadline if still open: a
     * read timeout bounds the wait for each byte, so a server that trickles a body could hold a
     * request for ever. A resumable upload or a read goes in chunks, one request each.
     */
    private static HttpTransport deadlineTransport(Duration deadline) {
        return new NetHttpTransport.Builder().setConnectionFactory(url -> {
            HttpURLConnection connection = (HttpURLConnection) url.openConnection();
            Deadlines.at(deadline, connection::disconnect);
            return connection;
        }).build();
    }

    /** The client library's default project (credentials file, gcloud configuration, metadata server), or null. */
    static String defaultProject() {
        try {
            return ServiceOptions.getDefaultProjectId();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
