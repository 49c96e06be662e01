package io.evkeygen.keyset;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The four key files of a key set and their fixed envelope fields (spec sections 6 and 11). */
public enum KeyFileKind {
    SECKEY("SecKey.json", "seckey", "decryption key", "vector_search", "sec", true),
    ENCKEY("EncKey.json", "enckey", "encryption key", "vector_search", "enc", false),
    EVALKEY("EvalKey.json", "evalkey", "evaluation key", "evaluation", "eval", false),
    METADATAKEY("MetadataKey.json", "metadatakey", "metadata encryption key", "metadata", "metadata", true);

    /**
     * The parts without which there is no key set (spec section 9): a set "exists" when all three are
     * present; MetadataKey is optional.
     */
    public static final Set<KeyFileKind> REQUIRED = Collections.unmodifiableSet(EnumSet.of(SECKEY, ENCKEY, EVALKEY));

    private final String fileName;
    private final String format;
    private final String role;
    private final String usage;
    private final String integrityTag;
    private final boolean secret;

    KeyFileKind(String fileName, String format, String role, String usage, String integrityTag, boolean secret) {
        this.fileName = fileName;
        this.format = format;
        this.role = role;
        this.usage = usage;
        this.integrityTag = integrityTag;
        this.secret = secret;
    }

    public String fileName() { return fileName; }

    /** {@code format} and {@code entries[0].name}. */
    public String format() { return format; }

    public String role() { return role; }

    public String usage() { return usage; }

    public String integrityTag() { return integrityTag; }

    /** Secret files: owner-only permissions, sealable, never uploaded to S3. */
    public boolean secret() { return secret; }
}
