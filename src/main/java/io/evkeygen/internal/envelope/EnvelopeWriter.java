package io.evkeygen.internal.envelope;

import io.evkeygen.internal.stream.Base64Encoder;
import io.evkeygen.internal.stream.Base64Stream;
import io.evkeygen.internal.stream.BinSource;
import io.evkeygen.internal.stream.ExactBytes;
import io.evkeygen.internal.stream.KeyDataEncoder;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.internal.stream.StageTimer;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import io.evkeygen.spi.KmsFields;
import io.evkeygen.spi.SealFields;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Writes canonical envelopes (spec section 6) byte-exactly, streaming the key data. */
public final class EnvelopeWriter {
    private EnvelopeWriter() {}

    /** Large enough that per-call overhead of digest and encoder vanishes; small enough to stay in cache. */
    static final int BUFFER = 1 << 16;

    /**
     * Writes one envelope. Calls {@code bin.writeTo} twice: once to hash, once to base64-encode,
     * so memory stays bounded whatever the key size.
     */
    public static void write(EnvelopeHeader header, BinSource bin, OutputStream out) throws IOException {
        write(header, bin, out, Base64Encoder.JAVA);
    }

    /** As {@link #write(EnvelopeHeader, BinSource, OutputStream)}, encoding key_data with {@code encoder}. */
    public static void write(EnvelopeHeader header, BinSource bin, OutputStream out, Base64Encoder encoder)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(encoder, "encoder");
        write(header, bin, out, encoder, hash(bin));
    }

    /**
     * As {@link #write(EnvelopeHeader, BinSource, OutputStream, Base64Encoder)} for key data whose
     * SHA-256 is already known (computed while it was produced): one pass, base64 only.
     */
    public static void write(EnvelopeHeader header, BinSource bin, OutputStream out, Base64Encoder encoder,
                             byte[] sha256) throws IOException {
        Frame frame = frame(header, sha256);
        out.write(frame.prefix());
        streamBase64(bin, out, encoder);
        out.write(frame.suffix());
        out.flush();
    }

    /**
     * Writes an envelope around key data already encoded: {@code base64} replays its key_data text
     * (as a {@link KeyDataEncoder} wrote it), whose raw bytes hash to {@code sha256}.
     */
    public static void writeEncoded(EnvelopeHeader header, byte[] sha256, BinSource base64, OutputStream out)
            throws IOException {
        Frame frame = frame(header, sha256);
        out.write(frame.prefix());
        base64.writeTo(out);
        out.write(frame.suffix());
        out.flush();
    }

    /** Rewrites bytes the target already holds, at a position from its start. */
    public interface Patcher {
        void patch(long position, byte[] bytes) throws IOException;
    }

    /**
     * Writes an envelope in a single pass over key data that {@code producer} writes once, for a
     * target that can be patched (a file): the prefix goes out with a placeholder hash of the same
     * length, the data is hashed and base64-encoded as it is produced by an encoder of
     * {@code encoders} (with {@code parallel}, the Java one overlaps generation, SHA-256 and
     * encoding on threads of their own), and the real prefix replaces the placeholder at the end.
     * Nothing holds the whole key data.
     */
    public static void writeOnePass(EnvelopeHeader header, long length, ExactBytes.Producer producer,
                                    OutputStream out, Patcher patcher, KeyDataEncoder.Factory encoders,
                                    boolean parallel) throws IOException {
        Frame placeholder = frame(header, new byte[32]);
        out.write(placeholder.prefix());
        Frame frame = frame(header, encode(length, producer, out, encoders, parallel));
        if (frame.prefix().length != placeholder.prefix().length) {
            throw new IllegalStateException("envelope prefix changed length with its hash");
        }
        out.write(frame.suffix());
        out.flush();
        patcher.patch(0, frame.prefix());
    }

    /**
     * Runs {@code producer} once into an encoder of {@code encoders}: the base64 of its
     * {@code length} bytes goes to {@code text}, and their SHA-256 is returned.
     */
    public static byte[] encode(long length, ExactBytes.Producer producer, OutputStream text,
                                KeyDataEncoder.Factory encoders, boolean parallel) throws IOException {
        try (KeyDataEncoder data = encoders.open(text, length, parallel)) {
            long began = System.nanoTime();
            producer.writeTo(data);
            StageTimer.record("generate", began);
            if (data.count() != length) {
                throw ExactBytes.wrongLength("key data", data.count(), length);
            }
            began = System.nanoTime();
            byte[] sha256 = data.finish();
            StageTimer.record("wait for sha256, base64", began);
            return sha256;
        }
    }

    /**
     * The canonical bytes around key_data: {@code prefix} ends with the opening quote of its value,
     * {@code suffix} starts with the closing one. The reader compares what it read with this frame,
     * so there is exactly one accepted form of each envelope.
     */
    public record Frame(byte[] prefix, byte[] suffix) {}

    /** The frame of an envelope with {@code header} whose key data hashes to {@code sha256}. */
    public static Frame frame(EnvelopeHeader header, byte[] sha256) {
        Map<String, Object> envelope = skeleton(header);
        entry(envelope).put("hash", Base64.getEncoder().encodeToString(sha256));
        List<Integer> holes = new ArrayList<>(1);
        String text = CanonicalJson.toJson(envelope, holes);
        int hole = holes.get(0);
        // the text is ASCII (ensure_ascii), so chars and bytes coincide
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[hole + 1];
        System.arraycopy(ascii, 0, prefix, 0, hole);
        prefix[hole] = '"';
        byte[] suffix = new byte[ascii.length - hole + 1];
        suffix[0] = '"';
        System.arraycopy(ascii, hole, suffix, 1, ascii.length - hole);
        return new Frame(prefix, suffix);
    }

    /** The whole envelope as a tree, with key_data as a {@link CanonicalJson#HOLE} and hash still missing. */
    static Map<String, Object> skeleton(EnvelopeHeader h) {
        Objects.requireNonNull(h, "header");
        KeyFileKind kind = Objects.requireNonNull(h.kind(), "kind");
        String kid = Objects.requireNonNull(h.kid(), "kid");
        Instant createdAt = Objects.requireNonNull(h.createdAt(), "createdAt");
        Requester requester = Objects.requireNonNull(h.requester(), "requester");
        Objects.requireNonNull(h.parameters(), "parameters");
        if ((kind == KeyFileKind.EVALKEY) != (h.evalMode() != null)) {
            // the reader would refuse the file: fail before writing it
            throw new IllegalArgumentException("eval mode '" + h.evalMode() + "' does not fit " + kind.format());
        }
        if (h.encKeySha256() != null && kind != KeyFileKind.METADATAKEY) {
            throw new IllegalArgumentException(kind.format() + " carries no set binding");
        }
        if (h.seal() != null && !kind.secret()) {
            throw new IllegalArgumentException(kind.format() + " is never sealed");
        }
        String created = EnvelopeFields.formatTime(createdAt);
        String expires = EnvelopeFields.formatTime(EnvelopeFields.expiresAt(createdAt));
        Map<String, Object> providerMeta = EnvelopeFields.localProviderMeta();
        Map<String, Object> requesterObj = EnvelopeFields.requesterObject(requester);

        Map<String, Object> metadata = new LinkedHashMap<>();
        if (h.encKeySha256() != null) {
            metadata.put(EnvelopeFields.ENCKEY_BINDING, Base64.getEncoder().encodeToString(h.encKeySha256()));
        }
        metadata.put("eval_mode", h.evalMode() == null ? "" : h.evalMode().name());
        metadata.put("parameter", EnvelopeFields.parameterObject(h.parameters()));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key_data", CanonicalJson.HOLE);
        entry.put("metadata", metadata);
        entry.put("name", kind.format());
        entry.put("role", kind.role());
        if (h.seal() != null) {
            SealFields s = h.seal();
            entry.put("alg", Objects.requireNonNull(s.alg(), "seal.alg"));
            entry.put("iv", Base64.getEncoder().encodeToString(Objects.requireNonNull(s.iv(), "seal.iv")));
            entry.put("tag", Base64.getEncoder().encodeToString(Objects.requireNonNull(s.tag(), "seal.tag")));
            if (s.kms() != null) {
                entry.put("kms", kmsObject(s.kms()));
            }
        }

        Map<String, Object> env = new LinkedHashMap<>();
        env.put("aad", digestObject(EnvelopeFields.aadValue(created, expires, EnvelopeFields.FORMAT_VERSION, kid,
                providerMeta, requesterObj, kind.usage())));
        env.put("created_at", created);
        env.put("entries", List.of(entry));
        env.put("expires_at", expires);
        env.put("format", kind.format());
        env.put("format_version", EnvelopeFields.FORMAT_VERSION);
        env.put("integrity", digestObject(EnvelopeFields.integrityValue(kid, kind)));
        env.put("key_version", EnvelopeFields.KEY_VERSION);
        env.put("kid", kid);
        env.put("provider_meta", providerMeta);
        env.put("requester", requesterObj);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("reason", null);
        state.put("updated_at", created);
        state.put("value", EnvelopeFields.STATE_ACTIVE);
        env.put("state", state);
        env.put("usage", kind.usage());
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> envelope) {
        return ((List<Map<String, Object>>) envelope.get("entries")).get(0);
    }

    /** entries[0].kms: key id, encrypted data key (base64) and encryption context. */
    private static Map<String, Object> kmsObject(KmsFields k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("encrypted_data_key", Base64.getEncoder().encodeToString(k.encryptedDataKey()));
        m.put("encryption_context", new LinkedHashMap<String, Object>(k.encryptionContext()));
        m.put("key_id", k.keyId());
        return m;
    }

    private static Map<String, Object> digestObject(String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", EnvelopeFields.DIGEST_TYPE);
        m.put("value", value);
        return m;
    }

    /** First pass: SHA-256 of the key data (buffered: sources may write a few bytes at a time). */
    private static byte[] hash(BinSource bin) throws IOException {
        Sha256.DigestSink sink = new Sha256.DigestSink();
        BufferedOutputStream buffered = new BufferedOutputStream(sink, BUFFER);
        bin.writeTo(buffered);
        buffered.flush();
        checkLength(bin, sink.count());
        return sink.digest();
    }

    /** Second pass: base64 straight into {@code out}, which stays open. */
    private static void streamBase64(BinSource bin, OutputStream out, Base64Encoder encoder) throws IOException {
        Base64Stream b64 = new Base64Stream(out, encoder, bin.length());
        BufferedOutputStream buffered = new BufferedOutputStream(b64, (int) Math.max(1, Math.min(BUFFER, bin.length())));
        bin.writeTo(buffered);
        buffered.flush();
        b64.finish();
        checkLength(bin, b64.count());
    }

    private static void checkLength(BinSource bin, long written) {
        if (written != bin.length()) {
            throw new IllegalStateException("BinSource wrote " + written + " bytes but declared " + bin.length());
        }
    }
}
