package io.evkeygen.internal.envelope;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.stream.Sha256;
import io.evkeygen.params.ParameterLiteral;
import io.evkeygen.params.Parameters;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of Jackson's streaming parser over an envelope: collects the small fields and decodes
 * key_data chunk by chunk into SHA-256 and the sink (if any). Checks the JSON's shape only (types,
 * one entry, the required fields, the parameter block's syntax); {@link EnvelopeReader} checks the
 * values and that the bytes are the one canonical form, which also refuses the unknown fields this
 * parser skips.
 */
final class EnvelopeParser {
    /** Duplicate keys are refused: a reader and a verifier must not see different values. */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    final String source;
    private final OutputStream sink;

    String aad;
    String createdAt;
    String expiresAt;
    String format;
    long formatVersion = Long.MIN_VALUE;
    String integrity;
    String keyVersion;
    String kid;
    Object providerMeta;
    Object requester;
    boolean hasState;
    String stateValue;
    String usage;
    int entries = -1;

    String alg;
    String hash;
    String iv;
    String tag;
    Object kms;
    String name;
    String role;
    boolean hasKeyData;
    long keyDataLength;
    byte[] keyDataSha256;
    String evalMode;
    String enckeySha256;
    ParameterLiteral parameter;

    EnvelopeParser(String source, OutputStream sink) {
        this.source = source;
        this.sink = sink;
    }

    void parse(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw EnvelopeReader.notJson(source, 0);
        }
        if (first != JsonToken.START_OBJECT) {
            throw bad("is not a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "aad" -> aad = digestObject(p, t, field);
                case "created_at" -> createdAt = string(p, t, field);
                case "entries" -> entries(p, t);
                case "expires_at" -> expiresAt = string(p, t, field);
                case "format" -> format = string(p, t, field);
                case "format_version" -> formatVersion = integer(p, t, field);
                case "integrity" -> integrity = digestObject(p, t, field);
                case "key_version" -> keyVersion = string(p, t, field);
                case "kid" -> kid = string(p, t, field);
                case "provider_meta" -> providerMeta = object(p, t, field);
                case "requester" -> requester = object(p, t, field);
                case "state" -> {
                    if (object(p, t, field) instanceof Map<?, ?> m && m.get("value") instanceof String v) {
                        stateValue = v;
                    }
                    hasState = true;
                }
                case "usage" -> usage = string(p, t, field);
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw bad("has data after the JSON object");
        }
    }

    /** Refuses the first missing field, in the spec's order. */
    void require() {
        need(aad, "aad");
        need(createdAt, "created_at");
        if (entries < 0) {
            throw bad("missing field entries");
        }
        if (entries != 1) {
            throw bad("entries must hold exactly one entry, found " + entries);
        }
        if (!hasKeyData) {
            throw bad("missing field entries[0].key_data");
        }
        need(hash, "entries[0].hash");
        need(evalMode, "entries[0].metadata.eval_mode");
        need(parameter, "entries[0].metadata.parameter");
        need(parameter.preset(), "entries[0].metadata.parameter.preset");
        need(parameter.dbScale(), "entries[0].metadata.parameter.DB_SCALE_FACTOR");
        need(parameter.p(), "entries[0].metadata.parameter.P");
        need(parameter.q(), "entries[0].metadata.parameter.Q");
        need(parameter.queryScale(), "entries[0].metadata.parameter.QUERY_SCALE_FACTOR");
        need(name, "entries[0].name");
        need(role, "entries[0].role");
        need(expiresAt, "expires_at");
        need(format, "format");
        if (formatVersion == Long.MIN_VALUE) {
            throw bad("missing field format_version");
        }
        need(integrity, "integrity");
        need(keyVersion, "key_version");
        need(kid, "kid");
        need(providerMeta, "provider_meta");
        need(requester, "requester");
        if (!hasState) {
            throw bad("missing field state");
        }
        need(usage, "usage");
    }

    /** The validated parameter block (see {@link ParameterLiteral#resolve()}). */
    Parameters parameters() {
        try {
            return parameter.resolve();
        } catch (KeygenException e) {
            throw bad(e.getMessage());
        }
    }

    private void entries(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw bad("entries must be an array");
        }
        entries = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (++entries > 1) {
                // refuse before streaming a second key_data into the sink
                throw bad("entries must hold exactly one entry");
            }
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad("entries[0] must be an object");
            }
            entry(p);
        }
    }

    private void entry(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            String path = "entries[0]." + field;
            switch (field) {
                case "alg" -> alg = string(p, t, path);
                case "hash" -> hash = string(p, t, path);
                case "iv" -> iv = string(p, t, path);
                case "tag" -> tag = string(p, t, path);
                case "kms" -> kms = object(p, t, path);
                case "name" -> name = string(p, t, path);
                case "role" -> role = string(p, t, path);
                case "key_data" -> keyData(p, t);
                case "metadata" -> metadata(p, t);
                default -> p.skipChildren();
            }
        }
    }

    /** Decodes key_data incrementally (never as one String) into SHA-256 and the sink. */
    private void keyData(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw bad("entries[0].key_data must be a string");
        }
        Tee tee = new Tee(sink);
        try {
            p.readBinaryValue(Base64Variants.MIME_NO_LINEFEEDS, tee);
        } catch (JsonEOFException e) {
            throw e; // truncated file: reported as invalid JSON
        } catch (StreamReadException | IllegalArgumentException e) {
            // Jackson reports a bad base64 character as IllegalArgumentException
            throw bad("entries[0].key_data is not valid base64");
        }
        hasKeyData = true;
        keyDataLength = tee.count();
        keyDataSha256 = tee.digest();
    }

    private void metadata(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw bad("entries[0].metadata must be an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "eval_mode" -> evalMode = string(p, v, "entries[0].metadata.eval_mode");
                case "parameter" -> parameter(p, v);
                case EnvelopeFields.ENCKEY_BINDING -> enckeySha256 = string(p, v, "entries[0].metadata." + field);
                default -> p.skipChildren();
            }
        }
    }

    private void parameter(JsonParser p, JsonToken t) throws IOException {
        try {
            parameter = ParameterLiteral.read(p, ParameterLiteral.Spelling.ENVELOPE, "entries[0].metadata.parameter",
                    KeygenException.Kind.INVALID_KEY);
        } catch (KeygenException e) {
            throw bad(e.getMessage());
        }
    }

    /** {"type":"SHA256","value":B64}; returns the value. */
    private String digestObject(JsonParser p, JsonToken t, String path) throws IOException {
        if (!(object(p, t, path) instanceof Map<?, ?> m) || !(m.get("value") instanceof String value)) {
            throw bad(path + ".value must be a string");
        }
        if (!EnvelopeFields.DIGEST_TYPE.equals(m.get("type"))) {
            throw bad(path + ".type must be \"SHA256\"");
        }
        return value;
    }

    private String string(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw bad(path + " must be a string");
        }
        return p.getText();
    }

    private long integer(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw bad(path + " must be an integer");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw bad(path + " is out of range");
        }
        return p.getLongValue();
    }

    private Object object(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw bad(path + " must be an object");
        }
        return tree(p, t);
    }

    /** A small JSON value as CanonicalJson takes it, so the aad can be recomputed from what was read. */
    private static Object tree(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(k, tree(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken item;
                while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(tree(p, item));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue(); // Python reads a float, then prints its repr
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    private void need(Object value, String field) {
        if (value == null) {
            throw bad("missing field " + field);
        }
    }

    private KeygenException bad(String detail) {
        return EnvelopeReader.bad(source, detail);
    }

    /** Decoded key data: counted, hashed, and passed on. */
    private static final class Tee extends OutputStream {
        private final Sha256.DigestSink digest = new Sha256.DigestSink();
        private final OutputStream sink;

        Tee(OutputStream sink) {
            this.sink = sink;
        }

        @Override
        public void write(int b) throws IOException {
            digest.write(b);
            if (sink != null) {
                sink.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.write(b, off, len);
            if (sink != null) {
                sink.write(b, off, len);
            }
        }

        long count() {
            return digest.count();
        }

        byte[] digest() {
            return digest.digest();
        }
    }
}
