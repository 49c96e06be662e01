package io.evkeygen.gcp;

import com.google.auth.Credentials;
import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.remote.BlobNames;
import io.evkeygen.spi.remote.StoreAccess;
import java.util.function.Function;

/**
 * Where a Google Cloud key store lives and how to reach it.
 *
 * @param project              Google Cloud project of the secrets (required; see {@link #of})
 * @param bucket               Cloud Storage bucket for EncKey and EvalKey (required)
 * @param prefix               name prefix; null or empty means {@code envector/keys}
 * @param credentials          null: Application Default Credentials
 * @param storageHost          null: Cloud Storage itself; else a base URL such as {@code http://127.0.0.1:4443}
 *                             (an emulator or a test fake)
 * @param secretManagerEndpoint null: Secret Manager itself; else {@code host:port} reached in plaintext
 *                             (an emulator or a test fake)
 * @param access               the deadline of each call (each Cloud Storage HTTP request, each Secret
 *                             Manager call with its retries) and whether a plaintext endpoint on another
 *                             machine is allowed; null means {@link StoreAccess#DEFAULT} (120 s, refused)
 */
public record GcpStoreConfig(String project, String bucket, String prefix, Credentials credentials,
                             String storageHost, String secretManagerEndpoint, StoreAccess access) {
    /** The bucket pyenvector uses by default. */
    public static final String DEFAULT_BUCKET = "envector-key-storage";
    /** Environment variables (or Java system properties of the same name) naming the project, in order. */
    public static final String[] PROJECT_VARIABLES = {"GOOGLE_CLOUD_PROJECT", "GCP_PROJECT", "GCLOUD_PROJECT"};
    /** The Cloud Storage emulator setting the Google client honours too ({@code host:port} or a URL). */
    public static final String STORAGE_EMULATOR = "STORAGE_EMULATOR_HOST";
    /** Our setting for a Secret Manager emulator ({@code host:port}, plaintext, no credentials). */
    public static final String SECRET_MANAGER_EMULATOR = "SECRET_MANAGER_EMULATOR_HOST";

    public GcpStoreConfig {
        if (project == null || project.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.PROJECT, "the Google Cloud key store needs a project"
                    + " (GOOGLE_CLOUD_PROJECT, GCP_PROJECT or GCLOUD_PROJECT, or the client library's default)");
        }
        if (bucket == null || bucket.isBlank()) {
            throw KeygenException.usage(KeygenException.Setting.BUCKET, "the Google Cloud key store needs a bucket name");
        }
        BlobNames.prefix(prefix); // refuses a prefix that would leave its place
        access = StoreAccess.orDefault(access);
    }

    /** With the default access: 120 s per call, plaintext only to this machine. */
    public GcpStoreConfig(String project, String bucket, String prefix, Credentials credentials, String storageHost,
                          String secretManagerEndpoint) {
        this(project, bucket, prefix, credentials, storageHost, secretManagerEndpoint, null);
    }

    /**
     * Project (null: from the environment), bucket (null: {@value #DEFAULT_BUCKET}) and prefix; credentials from ADC, endpoints from
     * {@value #STORAGE_EMULATOR} and {@value #SECRET_MANAGER_EMULATOR} when set.
     */
    public static GcpStoreConfig of(String project, String bucket, String prefix) {
        return of(project, bucket, prefix, GcpStoreConfig::setting);
    }

    /** As {@link #of(String, String, String)} reading settings through {@code env}. */
    public static GcpStoreConfig of(String project, String bucket, String prefix, Function<String, String> env) {
        String p = blankToNull(project);
        for (int i = 0; p == null && i < PROJECT_VARIABLES.length; i++) {
            p = blankToNull(env.apply(PROJECT_VARIABLES[i]));
        }
        if (p == null) {
            p = GcpClients.defaultProject();
        }
        String storage = blankToNull(env.apply(STORAGE_EMULATOR));
        if (storage != null && !storage.contains("://")) {
            storage = "http://" + storage;
        }
        String b = blankToNull(bucket);
        return new GcpStoreConfig(p, b == null ? DEFAULT_BUCKET : b, prefix, null, storage,
                blankToNull(env.apply(SECRET_MANAGER_EMULATOR)), null);
    }

    /** An environment variable, or else the Java system property of the same name. */
    public static String setting(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? System.getProperty(name) : v;
    }

    public GcpStoreConfig withCredentials(Credentials c) {
        return new GcpStoreConfig(project, bucket, prefix, c, storageHost, secretManagerEndpoint, access);
    }

    public GcpStoreConfig withEndpoints(String storage, String secretManager) {
        return new GcpStoreConfig(project, bucket, prefix, credentials, storage, secretManager, access);
    }

    public GcpStoreConfig withPrefix(String p) {
        return new GcpStoreConfig(project, bucket, p, credentials, storageHost, secretManagerEndpoint, access);
    }

    /** The same store reached with {@code a}: its call deadline, and whether a remote plaintext endpoint is allowed. */
    public GcpStoreConfig withAccess(StoreAccess a) {
        return new GcpStoreConfig(project, bucket, prefix, credentials, storageHost, secretManagerEndpoint, a);
    }

    public GcpLayout layout() {
        return new GcpLayout(prefix);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Override
    public String toString() {
        return "GcpStoreConfig[" + project + ", gs://" + bucket + "/" + layout().root()
                + (storageHost == null ? "" : ", storage " + storageHost)
                + (secretManagerEndpoint == null ? "" : ", secret manager " + secretManagerEndpoint) + "]";
    }
}
