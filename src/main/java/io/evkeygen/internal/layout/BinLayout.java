package io.evkeygen.internal.layout;

import io.evkeygen.params.Parameters;
import java.nio.charset.StandardCharsets;

/** Sizes and fixed parts of the {@code .bin} layouts of spec sections 3-5. */
public final class BinLayout {
    public static final byte TAG_SECKEY = 0x01;
    public static final byte TAG_ENCKEY = 0x02;
    public static final byte TAG_EVIKEYS = 0x03;
    /** The 5-byte header: tag, preset name (3 ASCII bytes), 0x00. */
    public static final int HEADER_LENGTH = 5;

    private BinLayout() {}

    /** {@code tag | preset | 0x00}, e.g. {@code 01 'I' 'P' '0' 00}. */
    public static byte[] header(byte tag, Parameters params) {
        byte[] name = params.preset().getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[name.length + 2];
        h[0] = tag;
        System.arraycopy(name, 0, h, 1, name.length);
        return h;
    }

    public static long polyBytes(Parameters params) {
        return 8L * params.n();
    }

    public static long secKeyLength(Parameters params) {
        return header(TAG_SECKEY, params).length + params.n() / 4;
    }

    public static long encKeyLength(Parameters params) {
        return header(TAG_ENCKEY, params).length + 4 * polyBytes(params);
    }

    /** Length of {@code EVIKeys<r>.bin}: one tag byte then 4 + 4r polynomials. */
    public static long eviKeysLength(Parameters params, int rank) {
        return 1 + (4L + 4L * rank) * polyBytes(params);
    }
}
