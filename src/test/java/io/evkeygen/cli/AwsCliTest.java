package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evkeygen.FakeTricklingServer;
import io.evkeygen.TestSupport;
import io.evkeygen.aws.AwsTestServers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The CLI with {@code --key_store aws}, end to end through the real engine, against S3Proxy and the
 * fake Secrets Manager. Endpoints and credentials reach the SDK only through its standard settings
 * (system properties here, environment variables in the child-process test).
 */
class AwsCliTest {
    private static final String SEED = "42".repeat(64);
    private static final String[] PROPS = {"aws.accessKeyId", "aws.secretAccessKey", "aws.endpointUrlS3",
            "aws.endpointUrlSecretsManager"};

    @TempDir
    Path tmp;

    private static AwsTestServers servers;
    private String bucket;


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

    @BeforeEach
    void bucket() {
        servers.secrets().clear();
        bucket = servers.newBucket();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private String[] aws(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.addAll(List.of("--key_store", "aws", "--region_name", AwsTestServers.REGION, "--bucket_name", bucket));
        return a.toArray(String[]::new);
    }

    private static void assertOneLine(CliRun r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("evkeygen: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(contains), r.err());
    }

    private List<String> objects() {
        try (S3Client s3 = servers.s3()) {
            return s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    @Test
    void generatesIntoAwsAndLoadsBack() {
        CliRun r = run(aws("--key_id", "cli", "--dim", "32", "--seed", SEED, "--threads", "2",
                "--key_path", tmp.resolve("unused").toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("uploaded"), r.out());
        assertEquals(List.of("envector/keys/cli/enc_blob.json", "envector/keys/cli/eval_blob.json"), objects());
        assertEquals(List.of("envector/keys/cli/metadata_blob", "envector/keys/cli/sec_blob"),
                List.copyOf(servers.secrets().liveSecrets().keySet()));
        assertEquals(List.of(), io.evkeygen.TestSupport.listUnchecked(tmp), "nothing written locally");

        CliRun list = run(aws("store", "list"));
        assertEquals(0, list.code(), list.err());
        assertEquals("cli", list.out().strip());
        CliRun exists = run(aws("store", "exists", "--key_id", "cli"));
        assertTrue(exists.out().startsWith("cli: complete"), exists.out());

        CliRun dl = run(aws("store", "download", "--key_id", "cli", "--key_path", tmp.resolve("dl").toString()));
        assertEquals(0, dl.code(), dl.err());
        assertEquals(0, run("verify", tmp.resolve("dl/cli").toString()).code());

        // again: refused before generating, nothing changed
        CliRun again = run(aws("--key_id", "cli", "--dim", "32", "--threads", "2"));
        assertOneLine(again, 3, "refusing to overwrite");

        CliRun up = run(aws("upload", tmp.resolve("dl/cli").toString(), "--key_id", "copy"));
        assertEquals(0, up.code(), up.err());
        CliRun del = run(aws("store", "delete", "--key_id", "cli"));
        assertEquals(0, del.code(), del.err());
        assertEquals("copy", run(aws("store", "list")).out().strip());
        assertTrue(run(aws("store", "exists", "--key_id", "cli")).out().startsWith("cli: absent"));
    }

    /**
     * KMS-backed sealing is the one sealing the AWS store allows: the set is sealed with data keys
     * from the FAKE KMS, uploaded, downloaded, and verifies only through KMS.
     */
    @Test
    void kmsSealedSetThroughTheAwsStoreWithFakeKms() throws Exception {
        try (io.evkeygen.aws.FakeKmsServer kms = new io.evkeygen.aws.FakeKmsServer()) {
            kms.createKey("1234abcd-12ab-34cd-56ef-1234567890ab", "alias/evkeygen");
            System.setProperty("aws.endpointUrlKms", kms.endpoint().toString());
            try {
                CliRun r = run(aws("--key_id", "sealed", "--dim", "32", "--seal_mode", "aws-kms",
                        "--kms_key_id", "alias/evkeygen"));
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().contains("sealed"), r.out());
                assertEquals(2, kms.generateCalls.get(), "one data key each for SecKey and MetadataKey");

                Path dir = tmp.resolve("dl");
                CliRun dl = run(aws("store", "download", "--key_id", "sealed", "--key_path", dir.toString()));
                assertEquals(0, dl.code(), dl.err());
                String sec = java.nio.file.Files.readString(dir.resolve("sealed/SecKey.json"));
                assertTrue(sec.contains("\"alg\":\"AES-KEK\"") && sec.contains("\"encrypted_data_key\""), "KMS-sealed");

                CliRun withKms = run("verify", dir.resolve("sealed").toString(), "--seal_mode", "aws-kms",
                        "--region_name", AwsTestServers.REGION);
                assertEquals(0, withKms.code(), withKms.err());
                assertTrue(kms.decryptCalls.get() >= 1);
                CliRun without = run("verify", dir.resolve("sealed").toString());
                assertEquals(0, without.code(), without.err());
                assertTrue(without.out().contains("not checked"), without.out());
            } finally {
                System.clearProperty("aws.endpointUrlKms");
            }
        }
    }

    @Test
    void guardrailsAreUsageErrors() {
        assertOneLine(run("--key_store", "aws", "--region_name", "us-east-1", "--bucket_name", "b"), 2,
                "--key_id is required");
        assertOneLine(run("--key_store", "aws", "--key_id", "k", "--bucket_name", "b"), 2, "needs a region (--region_name)");
        assertOneLine(run("--key_store", "aws", "--key_id", "k", "--region_name", "us-east-1"), 2,
                "needs a bucket name (--bucket_name)");
        assertOneLine(run("--key_store", "s3", "--key_id", "k"), 2, "--key_store must be local, aws, gcp or vault");
        assertOneLine(run("store", "download", "--key_id", "k"), 2, "download needs --key_store aws");
        // local sealing is refused in AWS mode before anything is generated or uploaded, as the reference does
        String[] awsGen = {"--key_store", "aws", "--key_id", "k", "--region_name", "us-east-1", "--bucket_name", "b"};
        assertOneLine(run(concat(awsGen, "--seal_mode", "aes", "--seal_key_path", "kek.bin")), 2,
                "--seal_mode aes is not supported with --key_store aws");
        assertOneLine(run(concat(awsGen, "--seal_key_stdin")), 2, "--seal_key_stdin is not supported");
        StoreOptions.refuseLocalSealing("aws", "aws-kms", null, false); // KMS-backed sealing stays allowed
        assertOneLine(run(concat(awsGen, "--seal_mode", "AES_KEK", "--seal_key_path", "kek.bin")), 2,
                "--seal_mode AES_KEK is not supported with --key_store aws");
    }

    @Test
    void missingBucketIsExitSevenWithTheCode() {
        CliRun r = run("--key_store", "aws", "--region_name", AwsTestServers.REGION, "--bucket_name", "absent-bucket",
                "--key_id", "k", "--dim", "32");
        assertOneLine(r, 7, "NoSuchBucket");
    }

    @Test
    void aTricklingS3EndsAtStoreTimeoutWithExit7() throws Exception {
        try (FakeTricklingServer trickling = new FakeTricklingServer()) {
            System.setProperty("aws.endpointUrlS3", trickling.uri().toString());
            try {
                long start = System.nanoTime();
                CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(30),
                        () -> run(concat(aws("store", "list"), "--store_timeout", "1")));
                assertOneLine(r, 7, "(--store_timeout)");
                assertTrue(System.nanoTime() - start < 15_000_000_000L);
            } finally {
                System.setProperty("aws.endpointUrlS3", servers.s3Endpoint().toString());
            }
        }
    }

    @Test
    void plaintextEndpointsOnAnotherMachineNeedTheFlag() {
        System.setProperty("aws.endpointUrlSecretsManager", "http://secrets.internal:4566");
        try {
            // an unsafe key id stops 'exists' after the store is opened and before any request
            String[] exists = aws("store", "exists", "--key_id", ".x");
            assertOneLine(run(exists), 2, "the Secrets Manager endpoint http://secrets.internal:4566 is plaintext");
            CliRun allowed = run(concat(exists, "--allow_plaintext_remote"));
            assertEquals(2, allowed.code(), allowed.err());
            assertTrue(allowed.err().startsWith("evkeygen: warning: the Secrets Manager endpoint"), allowed.err());
            assertTrue(allowed.err().contains("key id must not start with '.'"), allowed.err());
        } finally {
            System.setProperty("aws.endpointUrlSecretsManager", servers.secretsEndpoint().toString());
        }
    }

    /** The SDK itself reads AWS_ENDPOINT_URL_S3 and AWS_ENDPOINT_URL_SECRETS_MANAGER: a child JVM with only those. */
    @Test
    void honoursEndpointEnvironmentVariables() throws Exception {
        assertEquals(0, run(aws("--key_id", "envtest", "--dim", "32", "--threads", "2")).code());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main",
                "store", "list", "--key_store", "aws", "--region_name", AwsTestServers.REGION, "--bucket_name", bucket);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", AwsTestServers.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", AwsTestServers.SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_S3", servers.s3Endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", servers.secretsEndpoint().toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.lines().anyMatch("envtest"::equals), output);
    }

    @Test
    void missingCredentialsAreOneLine() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.evkeygen.cli.Main",
                "store", "list", "--key_store", "aws", "--region_name", AwsTestServers.REGION, "--bucket_name", bucket);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ENDPOINT_URL", servers.secretsEndpoint().toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString());
        env.put("AWS_CONFIG_FILE", tmp.resolve("none").toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(7, p.exitValue(), output);
        assertTrue(output.contains("NoCredentials"), output);
        assertFalse(output.contains("\tat "), output);
    }
}
