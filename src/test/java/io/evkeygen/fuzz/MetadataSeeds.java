package io.evkeygen.fuzz;

import io.evkeygen.MetadataCipher;
import io.evkeygen.testutil.MetadataForgery;
import io.evkeygen.testutil.SealTestKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The seeds of {@link MetadataTokenFuzzTest} (genuine values under its key, a CTR value forged from
 * one, malformed ones; the first byte picks the call) and {@link LegacyMetadataKeyFuzzTest} (each
 * older MetadataKey layout, sealed-key-v2 under {@link SealTestKeys#kek}(1), and broken variants).
 * {@link SeedCorpus} calls it; alone: {@code java ... io.evkeygen.fuzz.MetadataSeeds [root]}.
 */
public final class MetadataSeeds {
    private static final byte[] KNOWN = "{\"title\":\"quarterly report\",\"n\":1}".getBytes(StandardCharsets.UTF_8);

    private MetadataSeeds() {}

    /** Writes both corpora, with the envelope seed taken from the envelope target's MetadataKey.json seed. */
    public static void main(String[] a) throws Exception {
        Path root = Path.of(a.length > 0 ? a[0] : "src/test/resources/io/evkeygen/fuzz");
        byte[] seed = Files.readAllBytes(root.resolve("EnvelopeReaderFuzzTestInputs/envelope/metadatakey"));
        write(root, Arrays.copyOfRange(seed, 1, seed.length)); // that seed's first byte picks the kind
    }

    /** Writes both corpora under {@code root}; {@code envelope} (may be null) is a MetadataKey.json to add as is. */
    static void write(Path root, byte[] envelope) throws IOException, GeneralSecurityException {
        Path tokens = Files.createDirectories(root.resolve("MetadataTokenFuzzTestInputs/token"));
        try (MetadataCipher c = MetadataCipher.of(MetadataTokenFuzzTest.KEY)) {
            String gcm = c.encrypt(KNOWN);
            token(tokens, "gcm", 0, gcm);
            token(tokens, "gcm-aad", 1, c.encrypt(KNOWN, MetadataTokenFuzzTest.AAD));
            token(tokens, "gcm-json", 2, gcm);
            token(tokens, "gcm-whitespace", 0, " " + gcm + "\n");
            String forged = MetadataForgery.ctrFromGcm(gcm, KNOWN, "{\"role\":\"admin\"}".getBytes(StandardCharsets.UTF_8));
            token(tokens, "forged-ctr", 0, forged);
            token(tokens, "forged-ctr-json", 2, forged);
            token(tokens, "forged-ctr-explicit", 3, forged);
            byte[] flipped = Base64.getDecoder().decode(gcm);
            flipped[12] ^= 1;
            token(tokens, "flipped-tag", 0, Base64.getEncoder().encodeToString(flipped));
            token(tokens, "short", 0, Base64.getEncoder().encodeToString(new byte[20]));
            token(tokens, "not-base64", 0, "%%%=");
        }

        Path layouts = Files.createDirectories(root.resolve("LegacyMetadataKeyFuzzTestInputs/layout"));
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 9);
        legacy(layouts, "legacy-base64", "\"" + Base64.getEncoder().encodeToString(key) + "\"");
        legacy(layouts, "legacy-urlsafe", "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(key) + "\"");
        legacy(layouts, "legacy-hex", "\"" + HexFormat.of().formatHex(key) + "\"");
        legacy(layouts, "legacy-short-blob", "\"" + Base64.getEncoder().encodeToString(new byte[16]) + "\"");
        legacy(layouts, "legacy-blob-number", "5");
        byte[] iv = new byte[12];
        iv[0] = 1;
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(SealTestKeys.kek(1), "AES"), new GCMParameterSpec(128, iv));
        byte[] ctTag = gcm.doFinal(key);
        byte[] edk = Arrays.copyOf(ctTag, 32);
        byte[] tag = Arrays.copyOfRange(ctTag, 32, 48);
        sealedV2(layouts, "sealed-v2", iv, tag, edk);
        byte[] badTag = tag.clone();
        badTag[0] ^= 1;
        sealedV2(layouts, "sealed-v2-flipped-tag", iv, badTag, edk);
        sealedV2(layouts, "sealed-v2-short-tag", iv, Arrays.copyOf(tag, 8), edk);
        Files.writeString(layouts.resolve("sealed-v2-no-entries"), "{\"format\":\"sealed-key-v2\",\"key_id\":\"v2\"}");
        Files.writeString(layouts.resolve("not-json"), "{\"metadata_blob\":");
        if (envelope != null) {
            Files.write(layouts.resolve("envelope"), envelope);
        }
    }

    private static void token(Path dir, String name, int pick, String token) throws IOException {
        byte[] t = token.getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = new byte[t.length + 1];
        b[0] = (byte) pick;
        System.arraycopy(t, 0, b, 1, t.length);
        Files.write(dir.resolve(name), b);
    }

    private static void legacy(Path dir, String name, String blob) throws IOException {
        Files.writeString(dir.resolve(name), "{\"created_at\":\"2024-05-01T10:00:00Z\",\"key_id\":\"old\",\"metadata_blob\":"
                + blob + "}");
    }

    private static void sealedV2(Path dir, String name, byte[] iv, byte[] tag, byte[] edk) throws IOException {
        Base64.Encoder u = Base64.getUrlEncoder().withoutPadding();
        Files.writeString(dir.resolve(name), "{\"entries\":[{\"edk\":\"" + u.encodeToString(edk) + "\",\"iv\":\""
                + u.encodeToString(iv) + "\",\"tag\":\"" + u.encodeToString(tag)
                + "\"}],\"format\":\"sealed-key-v2\",\"key_id\":\"v2\"}");
    }
}
