package io.evkeygen.internal.envelope;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.params.EvalMode;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.SealFields;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** Reads an envelope, streaming its key data out, and verifies hash, aad and integrity. */
public final class EnvelopeReader {
    private EnvelopeReader() {}

    /**
     * Parses and verifies one envelope.
     *
     * @param in       the JSON bytes
     * @param expected the kind the caller expects (a different kind is refused), or null for any
     * @param binSink  receives the decoded key data, streamed; may be null to only verify
     * @throws io.evkeygen.error.KeygenException INVALID_KEY on malformed JSON or any mismatch
     */
    public static Envelope read(InputStream in, KeyFileKind expected, OutputStream binSink) throws IOException {
        return read(in, expected, binSink, null);
    }

    /**
     * As {@link #read(InputStream, KeyFileKind, OutputStream)}, naming the input {@code source} (a
     * path, say) at the start of every error message. With a null source, messages start with the
     * expected kind's file name (or, once the format field is known, the found kind's). Note: {@code binSink} receives the data while
     * it is parsed, before any check; it holds verified data only once this method returns.
     * {@code in} is not closed. I/O errors of {@code in} or {@code binSink} propagate unchanged.
     */
    public static Envelope read(InputStream in, KeyFileKind expected, OutputStream binSink, String source)
            throws IOException {
        String name = source != null ? source : expected != null ? expected.fileName() : "envelope";
        EnvelopeParser parsed = new EnvelopeParser(name, binSink);
        CanonicalCapture capture = new CanonicalCapture(in);
        try (JsonParser p = EnvelopeParser.FACTORY.createParser(capture)) {
            parsed.parse(p);
        } catch (StreamConstraintsException e) {
            // nesting, number or string beyond the parser's limits: not an envelope, and never Jackson's words
            throw bad(name, "is not a valid envelope: it exceeds the JSON limits of a key file (nesting, number or"
                    + " string length)");
        } catch (StreamReadException e) {
            // never quote Jackson's message: it may echo input, and the input may be a secret key
            throw notJson(name, e.getLocation() == null ? -1 : e.getLocation().getByteOffset());
        } catch (CharConversionException e) {
            // the encoding detection of the first bytes (UTF-16/32 guesses, invalid UTF-8): not JSON of ours
            throw notJson(name, 0);
        }
        capture.drain();
        Envelope env = verify(parsed, expected, source == null && expected == null);
        if (!capture.matches(EnvelopeWriter.frame(env.header(), env.sha256()), env.binLength())) {
            throw bad(source != null || expected != null ? name : env.header().kind().fileName(),
                    "is not in canonical form (exactly the bytes the writer produces: sorted keys, no"
                    + " whitespace or BOM, no escapes of ASCII, canonical numbers and base64, no unknown fields)");
        }
        return env;
    }

    private static Envelope verify(EnvelopeParser e, KeyFileKind expected, boolean nameFromKind) {
        String src = e.source;
        e.require();
        KeyFileKind kind = kindOf(e.format);
        if (kind == null) {
            throw bad(src, "format '" + e.format + "' is not seckey, enckey, evalkey or metadatakey");
        }
        if (nameFromKind) {
            src = kind.fileName();
        }
        if (expected != null && kind != expected) {
            throw bad(src, "expected " + article(expected.format()) + " envelope but found " + kind.format());
        }
        if (!kind.format().equals(e.name)) {
            throw bad(src, "entries[0].name '" + e.name + "' does not match format " + kind.format());
        }
        if (!kind.role().equals(e.role)) {
            throw bad(src, "entries[0].role '" + e.role + "' is not '" + kind.role() + "' for " + kind.format());
        }
        if (!kind.usage().equals(e.usage)) {
            throw bad(src, "usage '" + e.usage + "' is not '" + kind.usage() + "' for " + kind.format());
        }
        if (!EnvelopeFields.STATE_ACTIVE.equals(e.stateValue)) {
            throw bad(src, "state is '" + e.stateValue + "', not active: the key is not usable");
        }
        if (!EnvelopeFields.KEY_VERSION.equals(e.keyVersion)) {
            throw bad(src, "key_version '" + e.keyVersion + "' is not supported (only " + EnvelopeFields.KEY_VERSION + ")");
        }
        if (e.formatVersion != EnvelopeFields.FORMAT_VERSION) {
            throw bad(src, "format_version " + e.formatVersion + " is not supported (only 1)");
        }
        if (!EnvelopeFields.integrityValue(e.kid, kind).equals(e.integrity)) {
            throw bad(src, "integrity does not match kid '" + e.kid + "' and format " + kind.format());
        }
        String aad = EnvelopeFields.aadValue(e.createdAt, e.expiresAt, EnvelopeFields.FORMAT_VERSION, e.kid,
                e.providerMeta, e.requester, e.usage);
        if (!aad.equals(e.aad)) {
            throw bad(src, "aad does not match created_at, expires_at, kid, provider_meta, requester and usage");
        }
        byte[] hash = decode(src, "hash", e.hash);
        if (!MessageDigest.isEqual(hash, e.keyDataSha256)) {
            throw bad(src, "hash does not match key_data");
        }
        Instant created = EnvelopeFields.parseTime(e.createdAt);
        if (created == null) {
            throw bad(src, "created_at '" + e.createdAt + "' is not of the form 2026-11-28T12:54:43Z");
        }
        if (!EnvelopeFields.formatTime(EnvelopeFields.expiresAt(created)).equals(e.expiresAt)) {
            throw bad(src, "expires_at is not created_at + 1825 days");
        }
        EvalMode evalMode = evalMode(src, kind, e.evalMode);
        SealFields seal = seal(src, kind, e);
        Requester requester = requester(src, e.requester);
        byte[] binding = null;
        if (e.enckeySha256 != null) {
            if (kind != KeyFileKind.METADATAKEY) {
                throw bad(src, "entries[0].metadata." + EnvelopeFields.ENCKEY_BINDING + " belongs to metadatakey only");
            }
            binding = decode(src, "entries[0].metadata." + EnvelopeFields.ENCKEY_BINDING, e.enckeySha256);
            if (binding.length != 32) {
                throw bad(src, "entries[0].metadata." + EnvelopeFields.ENCKEY_BINDING + " is not a SHA-256");
            }
        }
        return new Envelope(new EnvelopeHeader(kind, e.kid, created, requester, evalMode,
                e.parameters(), seal, binding), e.keyDataLength, e.keyDataSha256);
    }

    private static KeyFileKind kindOf(String format) {
        for (KeyFileKind k : KeyFileKind.values()) {
            if (k.format().equals(format)) {
                return k;
            }
        }
        return null;
    }

    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    /** The EvalKey's mode in its exact wire spelling, or null (the empty string) for the other files. */
    private static EvalMode evalMode(String src, KeyFileKind kind, String mode) {
        if (kind != KeyFileKind.EVALKEY) {
            if (!mode.isEmpty()) {
                throw bad(src, "metadata.eval_mode must be empty for " + kind.format());
            }
            return null;
        }
        for (EvalMode m : EvalMode.values()) {
            if (m.name().equals(mode)) {
                return m;
            }
        }
        throw bad(src, "metadata.eval_mode '" + mode + "' is not RMP, FLAT or MM");
    }

    private static SealFields seal(String src, KeyFileKind kind, EnvelopeParser e) {
        int present = (e.alg != null ? 1 : 0) + (e.iv != null ? 1 : 0) + (e.tag != null ? 1 : 0);
        if (present == 0) {
            if (e.kms != null) {
                throw bad(src, "entries[0].kms needs a sealed entry (alg, iv and tag)");
            }
            return null;
        }
        if (present != 3) {
            throw bad(src, "a sealed entry needs all of alg, iv and tag");
        }
        if (!kind.secret()) {
            throw bad(src, kind.format() + " is never sealed but has alg, iv and tag");
        }
        return new SealFields(e.alg, decode(src, "iv", e.iv), decode(src, "tag", e.tag), kms(src, e.kms));
    }

    /** entries[0].kms (this project's extension, docs/SEALING.md), or null when absent. */
    private static KmsFields kms(String src, Object tree) {
        if (tree == null) {
            return null;
        }
        Map<?, ?> m = (Map<?, ?>) tree; // the parser admits objects only
        if (!(m.get("key_id") instanceof String keyId) || keyId.isEmpty()) {
            throw bad(src, "entries[0].kms.key_id must be a non-empty string");
        }
        if (!(m.get("encrypted_data_key") instanceof String edk)) {
            throw bad(src, "entries[0].kms.encrypted_data_key must be a string");
        }
        if (!(m.get("encryption_context") instanceof Map<?, ?> ctx)) {
            throw bad(src, "entries[0].kms.encryption_context must be an object");
        }
        Map<String, String> context = new TreeMap<>();
        for (Map.Entry<?, ?> c : ctx.entrySet()) {
            if (!(c.getValue() instanceof String v)) {
                throw bad(src, "entries[0].kms.encryption_context values must be strings");
            }
            context.put((String) c.getKey(), v);
        }
        return new KmsFields(keyId, decode(src, "kms.encrypted_data_key", edk), context);
    }

    private static Requester requester(String src, Object tree) {
        if (!(tree instanceof Map<?, ?> m)) {
            throw bad(src, "requester must be an object");
        }
        String[] values = new String[3];
        String[] names = {"entity", "type", "method"};
        for (int i = 0; i < 3; i++) {
            if (!(m.get(names[i]) instanceof String s)) {
                throw bad(src, "requester." + names[i] + " must be a string");
            }
            values[i] = s;
        }
        return new Requester(values[0], values[1], values[2]);
    }

    private static byte[] decode(String src, String field, String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException ex) {
            throw bad(src, field + " is not valid base64");
        }
    }

    static KeygenException notJson(String source, long byteOffset) {
        return KeygenException.invalidKey(source + " is not valid JSON (truncated?)"
                + (byteOffset >= 0 ? " near byte " + byteOffset : ""));
    }

    static KeygenException bad(String source, String detail) {
        return KeygenException.invalidKey(source + ": " + detail);
    }
}
