package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.aws.AwsTestServers;
import io.evkeygen.server.FakeEnvectorServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server activate|register --key_store aws}: the key set generated into S3 and the fake
 * Secrets Manager, its EvalKey streamed from S3 to {@link FakeEnvectorServer}.
 */
class ServerAwsCliTest {
    private static final String[] PROPS = {"aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlS3",
            "aws.endpointUrlSecretsManager"};
    private static AwsTestServers servers;

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {}

    @BeforeAll
    static void settings() throws Exception {
        servers = AwsTestServers.get();
        System.setProperty("aws.accessKeyId", AwsTestServers.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", AwsTestServers.SECRET_KEY);
        System.setProperty("aws.endpointUrlS3", servers.s3Endpoint().toString());
        System.setProperty("aws.endpointUrlSecretsManager", servers.secretsEndpoint().toString());
    }

    @AfterAll
    static void clear() {
        for (String p : PROPS) {
            System.clearProperty(p);
        }
    }

    private static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void activateGeneratesIntoTheStoreAndRegistersFromItThenOnlyLoads() throws Exception {
        servers.secrets().clear();
        String bucket = servers.newBucket();
        try (FakeEnvectorServer fake = FakeEnvectorServer.plaintext(false, true)) {
            List<String> args = new ArrayList<>(List.of("server", "activate", "--address", fake.address(), "--insecure",
                    "--key_store", "aws", "--region_name", AwsTestServers.REGION, "--bucket_name", bucket,
                    "--key_id", "s3key", "--dim", "32", "--key_path", tmp.resolve("unused").toString(), "--json"));
            Result first = run(args);
            assertEquals(0, first.code(), first.err());
            JsonNode j = new ObjectMapper().readTree(first.out());
            assertTrue(j.get("generated").asBoolean());
            assertTrue(j.get("registered").asBoolean());
            assertEquals("es2e", j.get("api").asText());
            assertTrue(j.get("server_version").isNull());
            assertEquals("s3key", fake.loaded);
            assertTrue(fake.keys.get("s3key").size() > 0);

            Result second = run(args);
            JsonNode k = new ObjectMapper().readTree(second.out());
            assertEquals(false, k.get("generated").asBoolean());
            assertEquals(false, k.get("registered").asBoolean());
            assertTrue(k.get("loaded").asBoolean());

            Result reg = run(List.of("server", "register", "--address", fake.address(), "--insecure", "--key_store", "aws",
                    "--region_name", AwsTestServers.REGION, "--bucket_name", bucket, "--key_id", "s3key"));
            assertEquals(7, reg.code(), reg.err()); // the fake refuses a second registration of an id
            assertTrue(reg.err().startsWith("evkeygen: register_key: the server returned Fail: key s3key is already registered"),
                    reg.err());
            assertEquals(List.of(), fake.violations);
        }
    }
}
