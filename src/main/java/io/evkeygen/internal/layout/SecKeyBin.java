package io.evkeygen.internal.layout;

import io.evkeygen.error.KeygenException;
import io.evkeygen.params.Parameters;
import java.util.Arrays;

/**
 * SecKey.bin (spec section 3): header then 2 bits per coefficient, coefficient 0 in the two most
 * significant bits of byte 0; codes 00 = 0, 01 = +1, 11 = -1.
 */
public final class SecKeyBin {
    private SecKeyBin() {}

    public static byte[] encode(Parameters params, byte[] s) {
        byte[] header = BinLayout.header(BinLayout.TAG_SECKEY, params);
        byte[] out = new byte[header.length + s.length / 4];
        System.arraycopy(header, 0, out, 0, header.length);
        for (int j = 0; j < s.length; j++) {
            int code = s[j] & 3; // 0 -> 00, 1 -> 01, -1 -> 11, without a branch on the secret
            out[header.length + j / 4] |= (byte) (code << (6 - 2 * (j % 4)));
        }
        return out;
    }

    /** Decodes and checks the header, the codes and the Hamming weight. */
    public static byte[] decode(Parameters params, byte[] bin) {
        byte[] header = BinLayout.header(BinLayout.TAG_SECKEY, params);
        if (bin.length != header.length + params.n() / 4) {
            throw KeygenException.invalidKey("SecKey.bin has " + bin.length + " bytes, expected "
                    + (header.length + params.n() / 4));
        }
        for (int i = 0; i < header.length; i++) {
            if (bin[i] != header[i]) {
                throw KeygenException.invalidKey("SecKey.bin header does not name preset " + params.preset());
            }
        }
        byte[] s = new byte[params.n()];
        int weight = 0;
        for (int j = 0; j < s.length; j++) {
            int code = (bin[header.length + j / 4] >>> (6 - 2 * (j % 4))) & 3;
            if (code == 2) {
                throw KeygenException.invalidKey("SecKey.bin has an invalid coefficient code");
            }
            s[j] = (byte) (code == 0 ? 0 : (code == 1 ? 1 : -1));
            weight += code == 0 ? 0 : 1;
        }
        if (weight != params.hammingWeight()) {
            Arrays.fill(s, (byte) 0);
            throw KeygenException.invalidKey("SecKey.bin has " + weight + " non-zero coefficients, expected "
                    + params.hammingWeight());
        }
        return s;
    }
}
