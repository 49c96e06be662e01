package io.evkeygen.internal.seal;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeFields;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.envelope.Expiry;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.Parameters;
import io.evkeygen.spi.KekProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Opens a MetadataKey.json only as the key of the set it belongs to: its {@code enckey_sha256} names
 * the set's EncKey.bin, its kid and parameters are the set's, it is sealed exactly when the set's
 * SecKey.json is (a planted unsealed key beside a sealed set is not the set's), and it has not
 * expired. pyenvector's older layouts ({@link LegacyMetadataKeys}) carry no binding, and a file with
 * no EncKey.json beside it has nothing to be checked against: both are opened only by
 * {@link #openLegacy}, the explicit legacy path, which says what it could not check.
 */
public final class MetadataKeyFiles {
    /** A metadata key is 32 bytes (AES-256). */
    public static final int KEY_LENGTH = 32;
    private static final String META = KeyFileKind.METADATAKEY.fileName();

    private MetadataKeyFiles() {}

    /**
     * What a MetadataKey must belong to.
     *
     * @param kid           the set's key id
     * @param parameters    the set's parameters
     * @param encKeySha256  SHA-256 of the set's EncKey.bin
     * @param secretsSealed whether the set's SecKey.json is sealed; null when unknown (none beside it)
     */
    public record SetAnchor(String kid, Parameters parameters, byte[] encKeySha256, Boolean secretsSealed) {}

    /**
     * The set in {@code dir}: its EncKey.json (verified, not expired) and whether its SecKey.json (when
     * present and readable) is sealed; null when {@code dir} holds no EncKey.json.
     */
    public static SetAnchor anchorOf(Path dir, Clock clock) throws IOException {
        Path enc = dir.resolve(KeyFileKind.ENCKEY.fileName());
        if (!Files.isRegularFile(enc)) {
            return null;
        }
        Expiry expiry = new Expiry(dir, clock);
        Envelope encKey = verified(enc, KeyFileKind.ENCKEY, expiry);
        Path sec = dir.resolve(KeyFileKind.SECKEY.fileName());
        Boolean sealed = Files.isRegularFile(sec) && Files.isReadable(sec)
                ? verified(sec, KeyFileKind.SECKEY, expiry).header().seal() != null : null;
        return new SetAnchor(encKey.header().kid(), encKey.header().parameters(), encKey.sha256(), sealed);
    }

    private static Envelope verified(Path file, KeyFileKind kind, Expiry expiry) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Envelope e = EnvelopeReader.read(in, kind, null, file.toString());
            expiry.check(e.header());
            return e;
        }
    }

    /**
     * The 32-byte key of {@code file}, which must be an envelope of {@code anchor}'s set (the caller
     * zeroes it).
     *
     * @param anchor the set it must belong to; null (nothing to check against) refuses it
     * @throws KeygenException INVALID_KEY for an older layout, a missing anchor, another set's key or
     *                         an expired one, UNSEAL when it cannot be opened, IO when missing
     */
    public static byte[] openBound(Path file, SetAnchor anchor, KekProvider kek, Clock clock) throws IOException {
        if (isLegacyLayout(file)) {
            throw new KeygenException(KeygenException.Kind.INVALID_KEY, file + " is in an older pyenvector layout,"
                    + " which binds it to no key set: it is read only when that is asked for explicitly",
                    KeygenException.Setting.LEGACY_METADATA_KEY, null);
        }
        if (anchor == null) {
            throw new KeygenException(KeygenException.Kind.INVALID_KEY, file + " cannot be checked against its key"
                    + " set: there is no " + KeyFileKind.ENCKEY.fileName() + " beside it; give the key directory, or read it"
                    + " unbound",
                    KeygenException.Setting.LEGACY_METADATA_KEY, null);
        }
        return open(file, anchor, kek, clock, null);
    }

    /**
     * The explicit legacy path: as {@link #openBound}, but also opens pyenvector's older layouts, an
     * envelope without {@code enckey_sha256}, and a file with no anchor, each with a line to
     * {@code warnings} saying what was not checked. Another set's key (a binding that names another
     * EncKey, another kid, the wrong seal) and an expired one are still refused.
     */
    public static byte[] openLegacy(Path file, SetAnchor anchor, KekProvider kek, Clock clock,
                                    Consumer<String> warnings) throws IOException {
        byte[] content = SecretFiles.readAll(file);
        try {
            if (LegacyMetadataKeys.isLegacy(content)) {
                byte[] key = LegacyMetadataKeys.open(content, file.toString(), kek);
                warnings.accept(file + " is in an older pyenvector layout, bound to no key set (and, unless"
                        + " sealed-key-v2, unauthenticated); used because the legacy layout was asked for");
                return key;
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        if (anchor == null) {
            warnings.accept(file + " is not checked against its key set: there is no "
                    + KeyFileKind.ENCKEY.fileName() + " beside it");
        }
        return open(file, anchor, kek, clock, warnings);
    }

    private static boolean isLegacyLayout(Path file) throws IOException {
        byte[] content = SecretFiles.readAll(file);
        try {
            return LegacyMetadataKeys.isLegacy(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** {@code unbound} null: a missing binding is refused; else it is accepted with a warning there. */
    private static byte[] open(Path file, SetAnchor anchor, KekProvider kek, Clock clock, Consumer<String> unbound)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Expiry expiry = new Expiry(dir, clock);
        SecretFiles.Opened opened = SecretFiles.read(file, KeyFileKind.METADATAKEY, kek, env -> {
            expiry.check(env.header());
            if (anchor != null) {
                if (unbound != null && env.header().encKeySha256() == null) {
                    unbound.accept(file + " carries no " + EnvelopeFields.ENCKEY_BINDING
                            + ", so it cannot be told apart from another set's; used because the legacy layout was"
                            + " asked for");
                    sameSetAs(file.toString(), env.header(), anchor);
                } else {
                    belongsTo(file.toString(), env.header(), anchor);
                }
            }
        });
        byte[] key = opened.plain();
        if (key.length != KEY_LENGTH) {
            int n = key.length;
            Arrays.fill(key, (byte) 0);
            throw KeygenException.invalidKey(file + ": metadata key is " + n + " bytes, expected 32");
        }
        return key;
    }

    /**
     * Whether the MetadataKey envelope {@code meta} (named {@code name} in errors) belongs to
     * {@code anchor}'s set: its binding, kid, parameters and seal.
     *
     * @throws KeygenException INVALID_KEY naming the file and the mismatch
     */
    public static void belongsTo(String name, EnvelopeHeader meta, SetAnchor anchor) {
        byte[] bound = meta.encKeySha256();
        if (bound == null) {
            throw KeygenException.invalidKey(name + " is not bound to its key set (no "
                    + EnvelopeFields.ENCKEY_BINDING + "): it cannot be told apart from another set's");
        }
        if (!MessageDigest.isEqual(bound, anchor.encKeySha256())) {
            throw KeygenException.invalidKey(name + " belongs to another key set: its "
                    + EnvelopeFields.ENCKEY_BINDING + " does not match this " + KeyFileKind.ENCKEY.fileName());
        }
        sameSetAs(name, meta, anchor);
    }

    private static void sameSetAs(String name, EnvelopeHeader meta, SetAnchor anchor) {
        if (!anchor.kid().equals(meta.kid())) {
            throw KeygenException.invalidKey(name + ": key id differs from its key set's");
        }
        if (!anchor.parameters().equals(meta.parameters())) {
            throw KeygenException.invalidKey(name + ": parameters differ from its key set's");
        }
        if (anchor.secretsSealed() != null && anchor.secretsSealed() != (meta.seal() != null)) {
            throw KeygenException.invalidKey(name + (meta.seal() == null ? " is not sealed but" : " is sealed but")
                    + " the set's " + KeyFileKind.SECKEY.fileName() + (meta.seal() == null ? " is" : " is not")
                    + ": a set seals both or neither, so it is not this set's " + META);
        }
    }
}
