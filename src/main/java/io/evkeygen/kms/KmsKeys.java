package io.evkeygen.kms;

import io.evkeygen.kms.KmsClient.KeyFile;
import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.server.ActivationReport;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.EvalKeyPayload;
import io.evkeygen.server.ServerException;
import io.evkeygen.server.UploadProgress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the Python SDK's {@code ev.init(..., kms_address=...)} does for keys (KMS.md, "ev.init
 * against the KMS"): GetKeyDetails; GenerateKey when the key id is absent (someone else's
 * generation in progress is waited for); GetKeyStatus until READY; DownloadKey of the EncKey, kept
 * in memory; then the EvalKey registered and activated on the enVector server
 * ({@link EnvectorClient#activate}). The EvalKey streams from the KMS straight into register_key:
 * it is downloaded once to learn its length and hash (which every register frame carries) and again
 * while it is sent, each time a chunk at a time, never whole in memory or on disk.
 */
public final class KmsKeys {
    /** The largest EncKey.json kept in memory (a real one is well under 1 MiB). */
    static final long MAX_ENC_KEY = 64L << 20;
    /** The messages of a GenerateKey Fail that mean "someone else is generating it" (KMS.md). */
    private static final List<String> IN_PROGRESS = List.of("already exists", "already in progress", "duplicate",
            "in-progress", "in progress");

    /** What {@link #init} did, and the EncKey.json the client encrypts with. */
    public record Report(ActivationReport activation, boolean generated, boolean waitedForOther, byte[] encKey) {}

    private KmsKeys() {}

    /**
     * The ev.init sequence for {@code keyId}: {@code spec} goes to GenerateKey when the key is
     * absent; {@code wait} bounds each wait for READY (the SDK waits 120 s).
     */
    public static Report init(KmsClient kms, EnvectorClient server, String keyId, KeySpec spec, Duration wait,
                              UploadProgress progress) throws IOException, InterruptedException {
        boolean generated = false;
        boolean other = false;
        if (absent(kms, keyId)) {
            try {
                generated = kms.generateKey(keyId, spec).status() != KmsClient.Status.READY;
            } catch (ServerException e) {
                if (!inProgress(e)) {
                    throw e;
                }
                other = true; // as the SDK: another caller is generating it, poll
            }
        }
        kms.waitForKey(keyId, wait);
        ByteArrayOutputStream enc = new ByteArrayOutputStream();
        try (InputStream in = kms.openDownload(keyId, KeyFile.ENC_KEY)) {
            copyCapped(in, enc, keyId);
        }
        EvalKeyPayload eval = EvalKeyPayload.of("KMS " + kms.address() + " " + keyId + "/"
                + KeyFile.EVAL_KEY.fileName(), () -> kms.openDownload(keyId, KeyFile.EVAL_KEY));
        ActivationReport a = server.activate(keyId, eval, progress);
        return new Report(a, generated, other, enc.toByteArray());
    }

    /** As the SDK: a non-Success GetKeyDetails, or no version record, means absent. */
    private static boolean absent(KmsClient kms, String keyId) {
        try {
            return kms.keyDetails(keyId).isEmpty();
        } catch (ServerException e) {
            if (e.returnCode().isPresent()) {
                return true;
            }
            throw e;
        }
    }

    private static boolean inProgress(ServerException e) {
        if (!e.returnCode().map("Fail"::equals).orElse(false)) {
            return false;
        }
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        return IN_PROGRESS.stream().anyMatch(m::contains);
    }

    private static void copyCapped(InputStream in, ByteArrayOutputStream out, String keyId) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (out.size() + (long) n > MAX_ENC_KEY) {
                throw ServerException.protocol("DownloadKey", "KMS DownloadKey of " + keyId + "/"
                        + KeyFile.ENC_KEY.fileName() + " is larger than " + MAX_ENC_KEY + " bytes: refused");
            }
            out.write(buf, 0, n);
        }
    }
}
