package io.evkeygen.internal.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.secret.Kek;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.SealFields;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * MetadataKey layouts older pyenvector releases wrote, read (never written) so their users keep their
 * metadata:
 * <ul>
 *   <li><b>legacy</b>: compact sorted JSON {@code {"created_at":..,"key_id":..,"metadata_blob":..}};
 *       {@code metadata_blob} holds the 32-byte key in base64 (standard or url-safe, padded or not), or
 *       in 64 hex characters. The encoding is not in the facts we have: this is our decision, and any
 *       other encoding is refused as INVALID_KEY rather than guessed further.</li>
 *   <li><b>sealed-key-v2</b>: {@code {"format":"sealed-key-v2","entries":[{"iv":..,"tag":..,"edk":..}]}}
 *       with unpadded base64url fields; {@code iv || tag || edk} is AES-256-GCM under the KEK (no
 *       associated data: none is named in the facts) and opens to the 32-byte key.</li>
 * </ul>
 */
public final class LegacyMetadataKeys {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String SEALED_V2 = "sealed-key-v2";

    private LegacyMetadataKeys() {}

    /** Whether {@code content} is one of these layouts (and not an envelope of spec section 11). */
    public static boolean isLegacy(byte[] content) {
        JsonNode root = parse(content);
        return root != null && (isPlainLegacy(root) || isSealedV2(root));
    }

    private static boolean isPlainLegacy(JsonNode root) {
        return root.has("metadata_blob") && root.has("key_id") && !root.has("entries");
    }

    private static boolean isSealedV2(JsonNode root) {
        return SEALED_V2.equals(root.path("format").asText(null));
    }

    private static JsonNode parse(byte[] content) {
        try {
            JsonNode n = JSON.readTree(content);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The 32-byte metadata key of a legacy layout (the caller zeroes it). */
    public static byte[] open(byte[] content, String fileName, KekProvider provider) {
        JsonNode root = parse(content);
        if (root == null) {
            throw KeygenException.invalidKey(fileName + ": not JSON");
        }
        if (isPlainLegacy(root)) {
            if (!root.path("metadata_blob").isTextual()) {
                throw KeygenException.invalidKey(fileName + ": legacy metadata_blob is not a string");
            }
            return key(decodeBlob(root.path("metadata_blob").asText(), fileName), fileName);
        }
        JsonNode e = root.path("entries").path(0);
        byte[] iv = b64url(e, "iv", fileName);
        byte[] tag = b64url(e, "tag", fileName);
        byte[] edk = b64url(e, "edk", fileName);
        if (tag.length != AesGcm.TAG_LENGTH || iv.length == 0) {
            throw KeygenException.invalidKey(fileName + ": sealed-key-v2 entry has a " + tag.length + "-byte tag and a "
                    + iv.length + "-byte iv");
        }
        if (provider == null) {
            throw new KeygenException(KeygenException.Kind.UNSEAL, fileName + " is sealed (sealed-key-v2): a key-encryption"
                    + " key is needed to open it", KeygenException.Setting.KEK, null);
        }
        byte[] ctTag = new byte[edk.length + tag.length];
        System.arraycopy(edk, 0, ctTag, 0, edk.length);
        System.arraycopy(tag, 0, ctTag, edk.length, tag.length);
        try (Kek kek = provider.open(root.path("key_id").asText(""), KeyFileKind.METADATAKEY,
                new SealFields(SealFields.AES_KEK, iv, tag))) {
            byte[] plain;
            try {
                plain = AesGcm.decrypt(kek.secret().reveal(), iv, null, ctTag);
            } catch (KeygenException x) {
                if (x.kind() == KeygenException.Kind.UNSEAL) {
                    throw new KeygenException(KeygenException.Kind.UNSEAL, "cannot open " + fileName
                            + " (sealed-key-v2): wrong key-encryption key or a corrupted file", KeygenException.Setting.KEK, x);
                }
                throw x;
            }
            return key(plain, fileName);
        } finally {
            Arrays.fill(ctTag, (byte) 0);
        }
    }

    private static byte[] key(byte[] k, String fileName) {
        if (k.length != MetadataKeyFiles.KEY_LENGTH) {
            int n = k.length;
            Arrays.fill(k, (byte) 0);
            throw KeygenException.invalidKey(fileName + ": metadata key is " + n + " bytes, expected "
                    + MetadataKeyFiles.KEY_LENGTH);
        }
        return k;
    }

    private static byte[] decodeBlob(String s, String fileName) {
        String t = s.strip();
        if (t.length() == 64 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(t);
        }
        try {
            return t.indexOf('-') >= 0 || t.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(t)
                    : Base64.getDecoder().decode(t);
        } catch (IllegalArgumentException e) {
            throw KeygenException.invalidKey(fileName + ": legacy metadata_blob is neither base64 nor hex");
        }
    }

    private static byte[] b64url(JsonNode entry, String field, String fileName) {
        JsonNode v = entry.get(field);
        if (v == null || !v.isTextual()) {
            throw KeygenException.invalidKey(fileName + ": sealed-key-v2 entries[0] has no " + field);
        }
        try {
            return Base64.getUrlDecoder().decode(v.asText().strip()); // unpadded base64url (padding tolerated)
        } catch (IllegalArgumentException e) {
            throw KeygenException.invalidKey(fileName + ": sealed-key-v2 entries[0]." + field + " is not base64url");
        }
    }
}
