package io.evkeygen.kms.server;

import io.evkeygen.RankedScore;
import io.evkeygen.ScoreDecryptor;
import io.evkeygen.params.EvalMode;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.KeyStore;
import java.io.IOException;
import java.util.List;

/**
 * What TopK needs of an opened key: its eval mode and a ranking of decrypted scores. The server uses
 * {@link ScoreDecryptor}; tests of the server's own rules (state, clamping, errors) may use a fake.
 */
interface Ranker extends AutoCloseable {
    EvalMode evalMode();

    List<RankedScore> topK(List<byte[]> ciphertexts, int k, Float threshold, long[] shardIndices);

    @Override
    void close();

    /** Opens the secret key of a stored set. */
    @FunctionalInterface
    interface Source {
        Ranker open(String keyId) throws IOException;
    }

    /** The SDK's decryptor over a store and the master key. */
    static Source decryptors(KeyStore store, KekProvider master) {
        return keyId -> {
            ScoreDecryptor d = ScoreDecryptor.open(store, keyId, master);
            return new Ranker() {
                @Override
                public EvalMode evalMode() {
                    return d.evalMode();
                }

                @Override
                public List<RankedScore> topK(List<byte[]> ciphertexts, int k, Float threshold, long[] shardIndices) {
                    return d.topK(ciphertexts, k, threshold, shardIndices);
                }

                @Override
                public void close() {
                    d.close();
                }
            };
        };
    }
}
