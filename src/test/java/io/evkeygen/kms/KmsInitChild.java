package io.evkeygen.kms;

import io.evkeygen.kms.KmsClient.KeySpec;
import io.evkeygen.server.EnvectorClient;
import io.evkeygen.server.ServerAuth;
import io.evkeygen.server.UploadProgress;
import java.time.Duration;

/**
 * The ev.init of {@link KmsKeysTest}'s small-heap case, run in a child JVM: {@code KMS-ADDRESS
 * SERVER-ADDRESS KEY-ID TOKEN}, plaintext to both, one shared token. Prints what it did.
 */
public final class KmsInitChild {
    private KmsInitChild() {}

    public static void main(String[] args) throws Exception {
        ServerAuth auth = ServerAuth.token(args[3]);
        try (KmsClient kms = KmsClient.builder(args[0]).insecure().auth(auth).build();
             EnvectorClient server = EnvectorClient.builder(args[1]).insecure().auth(auth).build()) {
            KmsKeys.Report r = KmsKeys.init(kms, server, args[2], KeySpec.DEFAULTS, Duration.ofSeconds(120),
                    UploadProgress.NONE);
            System.out.println("registered=" + r.activation().registered() + " loaded=" + r.activation().loaded()
                    + " enc=" + r.encKey().length + " maxHeap=" + Runtime.getRuntime().maxMemory());
        }
    }
}
