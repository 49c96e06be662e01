package io.evkeygen.spi;

import io.evkeygen.error.KeygenException;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional libraries of each integration, in one place: the Maven coordinates a library user adds
 * and one class of each that shows it is there. An integration's public entry point calls
 * {@link #require(String)} before it touches any class that links the library, so that a missing jar is one
 * {@link KeygenException} naming what to add instead of a {@code NoClassDefFoundError} from deep inside.
 * The check only looks classes up ({@code Class.forName} without initialising them).
 */
public enum OptionalLibraries {
    /** {@code io.evkeygen.aws.AwsKeyStore}: S3 and Secrets Manager over the JDK's HTTP client. */
    AWS_STORE("software.amazon.awssdk:s3", "software.amazon.awssdk.services.s3.S3Client",
            "software.amazon.awssdk:secretsmanager", "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient",
            "software.amazon.awssdk:url-connection-client", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"),
    /** {@code io.evkeygen.aws.AwsKmsKekProvider}: AWS KMS data keys. */
    AWS_KMS("software.amazon.awssdk:kms", "software.amazon.awssdk.services.kms.KmsClient",
            "software.amazon.awssdk:url-connection-client", "software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient"),
    /** {@code io.evkeygen.gcp.GcpKeyStore}: Cloud Storage and Secret Manager. */
    GCP_STORE("com.google.cloud:google-cloud-storage", "com.google.cloud.storage.Storage",
            "com.google.cloud:google-cloud-secretmanager", "com.google.cloud.secretmanager.v1.SecretManagerServiceClient"),
    /** {@code io.evkeygen.server.EnvectorClient}, {@code io.evkeygen.kms.KmsClient} and {@code io.evkeygen.kms.server.KmsServer}. */
    GRPC("io.grpc:grpc-netty-shaded", "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder",
            "io.grpc:grpc-protobuf", "io.grpc.protobuf.ProtoUtils",
            "io.grpc:grpc-stub", "io.grpc.stub.ClientCalls",
            "com.google.protobuf:protobuf-java", "com.google.protobuf.Message");

    private final String[] coordinatesAndClasses;

    OptionalLibraries(String... coordinatesAndClasses) {
        this.coordinatesAndClasses = coordinatesAndClasses;
    }

    /** Every library's Maven coordinates ({@code groupId:artifactId}), in the order a user adds them. */
    public List<String> coordinates() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < coordinatesAndClasses.length; i += 2) {
            all.add(coordinatesAndClasses[i]);
        }
        return List.copyOf(all);
    }

    /** The coordinates of the libraries not on the class path (or module path). */
    public List<String> missing() {
        ClassLoader loader = OptionalLibraries.class.getClassLoader();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < coordinatesAndClasses.length; i += 2) {
            try {
                Class.forName(coordinatesAndClasses[i + 1], false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(coordinatesAndClasses[i]);
            }
        }
        return missing;
    }

    /**
     * Returns when every library is there.
     *
     * @param user what needs them, named in the error ({@code "EnvectorClient"})
     * @throws KeygenException USAGE naming the Maven coordinates to add when one is missing
     */
    public void require(String user) {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw KeygenException.usage(user + " needs " + String.join(", ", missing)
                    + (missing.size() == 1 ? ", which is" : ", which are") + " not on the class path: add "
                    + (missing.size() == 1 ? "it" : "them") + " to the project's dependencies (README: Java library)");
        }
    }
}
