package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;

/** The KMS's master key from the KEK flags (a 32-byte file, an AWS KMS key, ...): required, never "none". */
final class KmsMasterKey {
    private KmsMasterKey() {}

    static KekProvider open(KekOptions kek, StoreOptions store, InputStream stdin, PrintWriter err) throws IOException {
        KekProvider master = kek.forOpening(stdin, err, store.region());
        if (master == null) {
            throw KeygenException.usage("the KMS seals every SecKey and MetadataKey: give its master key with"
                    + " --seal_key_path FILE (32 bytes) or --kms_key_id KEY (AWS KMS)");
        }
        return master;
    }
}
