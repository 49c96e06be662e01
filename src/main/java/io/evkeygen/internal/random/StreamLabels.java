package io.evkeygen.internal.random;

import io.evkeygen.params.Parameters;

/**
 * Names of the PRNG streams (docs/ALGORITHMS.md). The secret depends only on n and the weight, so
 * presets sharing them share the secret for one seed (as the reference does); every other stream
 * names its moduli so that the same seed under other moduli never reuses an {@code a} or {@code e}.
 */
public final class StreamLabels {
    /** Components of one RLWE sample. */
    public enum Component {
        A_Q("a/Q"), A_P("a/P"), ERROR("e");

        private final String text;

        Component(String text) {
            this.text = text;
        }
    }

    private StreamLabels() {}

    public static String secret(Parameters p) {
        return "evkeygen/v1/secret/n" + p.n() + "/h" + p.hammingWeight();
    }

    private static String moduli(Parameters p) {
        return "evkeygen/v1/n" + p.n() + "/q" + p.q() + "/p" + p.p();
    }

    public static String publicKey(Parameters p, Component c) {
        return moduli(p) + "/pk/" + c.text;
    }

    public static String relinearization(Parameters p, int rank, Component c) {
        return moduli(p) + "/evk" + rank + "/relin/" + c.text;
    }

    public static String modPack(Parameters p, int rank, int index, Component c) {
        return moduli(p) + "/evk" + rank + "/modpack" + index + "/" + c.text;
    }
}
