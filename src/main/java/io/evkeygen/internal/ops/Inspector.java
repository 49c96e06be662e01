package io.evkeygen.internal.ops;

import io.evkeygen.error.KeygenException;
import io.evkeygen.internal.envelope.Envelope;
import io.evkeygen.internal.envelope.EnvelopeHeader;
import io.evkeygen.internal.envelope.EnvelopeReader;
import io.evkeygen.internal.keydir.KeyDirectories;
import io.evkeygen.internal.keydir.ResealJournal;
import io.evkeygen.internal.layout.EvalKeyContainer;
import io.evkeygen.internal.seal.SecretFiles;
import io.evkeygen.keyset.InspectionReport.FileReport;
import io.evkeygen.keyset.InspectionReport;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.params.EvalMode;
import io.evkeygen.params.SecurityEstimate;
import io.evkeygen.spi.KekProvider;
import io.evkeygen.spi.SealFields;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Describes a key directory without revealing secrets and without writing: secret files are read
 * with no sink, so their key data is hashed but never held; an interrupted reseal is described as
 * its roll-back will leave the set.
 */
public final class Inspector {
    private Inspector() {}

    /** {@code kek} (may be null) proves it opens the sealed files; their plaintext is zeroed at once. */
    public static InspectionReport inspect(Path dir, KekProvider kek) throws IOException {
        KeyDirectories.requireDirectory(dir);
        EvalMode evalMode = null;
        List<FileReport> files = new ArrayList<>();
        EvalKeyContainer.Index index = null;
        EnvelopeHeader any = null;
        for (KeyFileKind kind : KeyFileKind.values()) {
            Path file = ResealJournal.effectiveFile(dir, kind);
            if (!Files.isRegularFile(file)) {
                continue;
            }
            EvalKeyContainer.Index sink = kind == KeyFileKind.EVALKEY ? new EvalKeyContainer.Index() : null;
            MessageDigest fileDigest = sha256();
            Envelope env;
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), fileDigest)) {
                env = EnvelopeReader.read(in, kind, sink);
            }
            if (sink != null) {
                index = sink;
                evalMode = env.header().evalMode();
            }
            any = any == null ? env.header() : any;
            SealFields seal = env.header().seal();
            boolean opened = false;
            if (seal != null && kek != null) {
                Arrays.fill(SecretFiles.read(file, kind, kek).plain(), (byte) 0);
                opened = true;
            }
            files.add(new FileReport(kind.fileName(), Files.size(file), env.binLength(),
                    HexFormat.of().formatHex(env.sha256()), HexFormat.of().formatHex(fileDigest.digest()),
                    Optional.ofNullable(seal).map(SealFields::alg),
                    Optional.ofNullable(seal).map(SealFields::kms).map(k -> k.keyId()), opened));
        }
        if (any == null) {
            throw KeygenException.invalidKey(dir + " holds no key files");
        }
        boolean metadata = files.stream().anyMatch(f -> f.name().equals(KeyFileKind.METADATAKEY.fileName()));
        return new InspectionReport(dir, any.kid(), any.createdAt(), any.parameters(),
                SecurityEstimate.describe(any.parameters()), Optional.ofNullable(evalMode),
                index == null ? List.of() : index.dims(), index == null ? List.of() : index.ranks(), metadata,
                List.copyOf(files), ResealJournal.interrupted(dir));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
