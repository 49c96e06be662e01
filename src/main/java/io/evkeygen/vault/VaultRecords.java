package io.evkeygen.vault;

import io.evkeygen.error.KeygenException;
import io.evkeygen.spi.RecordStore.Versioned;
import io.evkeygen.spi.remote.VersionedObjects;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Records as KV v2 secrets in the store's mount, their bytes base64 in the {@code value} field: create
 * writes with {@code cas=0}, replace with {@code cas=<version>}. Deleting a record removes its
 * metadata, so Vault numbers a re-created one from 1 again; the tag is therefore the version and a
 * digest of the bytes ({@code 3:5f1c...}), and a replace first checks both, so a tag read before a
 * delete and re-create does not match the new record. KV v1 has no check-and-set: refused before
 * this class is made ({@link VaultKeyStore#records}).
 */
final class VaultRecords implements VersionedObjects {
    private final VaultKv kv;
    private final VaultStoreConfig config;

    VaultRecords(VaultKv kv, VaultStoreConfig config) {
        this.kv = kv;
        this.config = config;
    }

    @Override
    public Optional<Versioned> read(String name) {
        VaultKv.Version v = VaultHttp.call(() -> kv.readVersion(name));
        if (v == null) {
            return Optional.empty();
        }
        byte[] bytes = decode(v.text());
        return Optional.of(new Versioned(bytes, tag(v.version(), bytes)));
    }

    @Override
    public boolean createIfAbsent(String name, byte[] bytes) {
        return VaultHttp.call(() -> kv.writeCas(name, encode(bytes), 0));
    }

    /** Only while the record is the one the tag was read from: then {@code cas} on its version decides. */
    @Override
    public boolean replaceIfTag(String name, byte[] bytes, String tag) {
        Optional<Versioned> current = read(name);
        if (current.isEmpty() || !current.get().tag().equals(tag)) {
            return false;
        }
        int version = Integer.parseInt(tag.substring(0, tag.indexOf(':')));
        return VaultHttp.call(() -> kv.writeCas(name, encode(bytes), version));
    }

    @Override
    public void delete(String name) {
        VaultHttp.call(() -> {
            kv.delete(name);
            return null;
        });
    }

    /** The folder's children as full names (Vault lists names relative to the folder). */
    @Override
    public List<String> names(String folder) {
        List<String> names = new ArrayList<>();
        String f = folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
        for (String child : VaultHttp.call(() -> kv.list(f))) {
            names.add(f + "/" + child);
        }
        return names;
    }

    @Override
    public String where(String name) {
        return "vault " + config.address() + " " + config.mount() + "/" + name;
    }

    /** {@code <version>:<first 16 hex digits of the bytes' SHA-256>}. */
    private static String tag(int version, byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return version + ":" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static byte[] decode(String text) {
        try {
            return Base64.getDecoder().decode(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new KeygenException(KeygenException.Kind.STORE,
                    "the record's value is not base64: not written by evkeygen");
        }
    }
}
