package io.evkeygen.spi;

import io.evkeygen.aws.AwsKeyStore;
import io.evkeygen.aws.AwsKmsKekProvider;
import io.evkeygen.aws.AwsStoreConfig;
import io.evkeygen.error.KeygenException;
import io.evkeygen.gcp.GcpKeyStore;
import io.evkeygen.gcp.GcpStoreConfig;
import io.evkeygen.kms.KmsClient;
import io.evkeygen.kms.server.KmsServer;
import io.evkeygen.server.EnvectorClient;

/**
 * Run by {@link OptionalLibrariesTest} in a JVM whose class path holds only what a project depending
 * on io.evkeygen:evkeygen gets (our classes, Jackson, JNA): calls each integration's public entry
 * point and prints one line per entry, {@code <entry> <outcome>}.
 */
public final class MissingLibrariesChild {
    private MissingLibrariesChild() {}

    public static void main(String[] args) {
        for (String entry : args) {
            String outcome;
            try {
                run(entry);
                outcome = "ok";
            } catch (KeygenException e) {
                outcome = "KeygenException " + e.kind() + " " + e.getMessage();
            } catch (Throwable t) {
                outcome = t.getClass().getName() + " " + t.getMessage();
            }
            System.out.println(entry + " " + outcome.replace('\n', ' '));
        }
    }

    private static void run(String entry) throws Exception {
        switch (entry) {
            case "aws-store" -> new AwsKeyStore(AwsStoreConfig.of("us-east-1", "bucket", "")).close();
            case "aws-kms" -> AwsKmsKekProvider.create("alias/k", "us-east-1").close();
            case "gcp-store" -> new GcpKeyStore(GcpStoreConfig.of("project", "bucket", "")).close();
            case "server-client" -> EnvectorClient.builder("127.0.0.1:9").build().close();
            case "kms-client" -> KmsClient.builder("127.0.0.1:9").build().close();
            case "kms-server" -> KmsServer.builder().build();
            default -> throw new IllegalArgumentException(entry);
        }
    }
}
