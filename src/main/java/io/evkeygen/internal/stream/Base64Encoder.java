package io.evkeygen.internal.stream;

/**
 * The bulk step of standard base64: whole 3-byte groups to 4 chars each. Envelope writing spends
 * most of its time here (17 MB of key_data for the default key set), so a backend may supply a
 * faster one; every implementation gives the same chars.
 */
public interface Base64Encoder {

    /** Encodes {@code in[off, off + len)}, len a multiple of 3, into {@code out} at outOff (4 * len / 3 bytes). */
    void encodeTriples(byte[] in, int off, int len, byte[] out, int outOff);

    /** For benchmarks and {@code info}: {@code java}, {@code native-vbmi}, ... */
    String name();

    /** The portable implementation. */
    Base64Encoder JAVA = new JavaBase64Encoder();
}
