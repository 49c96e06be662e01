package example;

import io.evkeygen.KeyGenerator;
import io.evkeygen.aws.AwsKeyStore;
import io.evkeygen.aws.AwsStoreConfig;
import io.evkeygen.error.KeygenException;
import io.evkeygen.server.EnvectorClient;
import java.nio.file.Path;

/** Prints the backend a generation used, then what each integration it lacks says. */
public final class NativeConsumer {
    public static void main(String[] args) throws Exception {
        try (KeyGenerator g = KeyGenerator.builder().keyPath(Path.of(args[0])).keyId("native").dims(32)
                .evalMode("mm").backend("native").build()) {
            g.generateKeys();
            System.out.println("backend " + g.backend());
        }
        try {
            EnvectorClient.builder("127.0.0.1:9");
        } catch (KeygenException e) {
            System.out.println("server " + e.kind() + " " + e.getMessage());
        }
        try {
            new AwsKeyStore(AwsStoreConfig.of("us-east-1", "bucket", "")).close();
        } catch (KeygenException e) {
            System.out.println("aws " + e.kind() + " " + e.getMessage());
        }
    }
}
