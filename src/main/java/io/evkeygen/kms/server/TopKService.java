package io.evkeygen.kms.server;

import io.evkeygen.kms.internal.KmsRpcs;
import com.google.protobuf.ByteString;
import io.evkeygen.MetadataCipher;
import io.evkeygen.RankedScore;
import io.evkeygen.error.KeygenException;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.TopKRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TopKResponse;
import io.evkeygen.kms.internal.proto.KmsV2.TopKResult;
import io.evkeygen.params.EvalMode;
import io.evkeygen.server.internal.proto.CommonV2.EVCiphertext;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatRequest;
import io.evkeygen.server.internal.proto.CommonV2.HeartbeatResponse;
import io.evkeygen.server.internal.proto.CommonV2.MetadataIdx;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code kms.v2.TopKService}: TopK (scores decrypted and ranked with the set's SecKey, k clamped to
 * {@code max_k}) and the metadata calls with its MetadataKey, in the Python SDK's layout (AES-256-GCM
 * {@code iv || tag || ciphertext} as raw bytes). The state record is read on every call; the opened
 * keys come from short-lived caches ({@link OpenKeys}) that every transition and delete clears.
 */
final class TopKService {
    private final KeyLifecycle keys;
    private final Replies replies;
    private final OpenKeys<Ranker> rankers;
    private final OpenKeys<MetadataCipher> ciphers;
    private final int maxK;

    TopKService(KeyLifecycle keys, Replies replies, OpenKeys<Ranker> rankers, OpenKeys<MetadataCipher> ciphers, int maxK) {
        this.keys = keys;
        this.replies = replies;
        this.rankers = rankers;
        this.ciphers = ciphers;
        this.maxK = maxK;
    }

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(KmsRpcs.TOP_K_SERVICE)
                .addMethod(KmsRpcs.TOP_K, ServerCalls.asyncUnaryCall(this::topK))
                .addMethod(KmsRpcs.ENCRYPT_METADATA, ServerCalls.asyncUnaryCall(this::encryptMetadata))
                .addMethod(KmsRpcs.DECRYPT_METADATA, ServerCalls.asyncUnaryCall(this::decryptMetadata))
                .addMethod(KmsRpcs.TOP_K_HEALTH, ServerCalls.asyncUnaryCall(this::health))
                .build();
    }

    private void topK(TopKRequest q, StreamObserver<TopKResponse> out) {
        replies.unary("TopK", q, TopKResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            KmsRecord record = keys.requireUsable(keyId);
            if (EvalMode.MM.name().equals(record.evalMode())) {
                throw mmRefused(keyId);
            }
            if (r.getShardIndicesCount() != 0 && r.getShardIndicesCount() != r.getEncryptedScoresCount()) {
                throw KmsError.invalid("shard_indices has " + r.getShardIndicesCount() + " entries for "
                        + r.getEncryptedScoresCount() + " ciphertexts: they must be parallel");
            }
            List<byte[]> data = new ArrayList<>(r.getEncryptedScoresCount());
            for (EVCiphertext c : r.getEncryptedScoresList()) {
                data.add(c.getData().toByteArray());
            }
            long[] shards = r.getShardIndicesList().stream().mapToLong(Long::longValue).toArray();
            int k = (int) Math.min(Integer.toUnsignedLong(r.getK()), maxK);
            Float threshold = r.hasScoreThreshold() ? r.getScoreThreshold() : null;
            List<RankedScore> ranked;
            try (OpenKeys<Ranker>.Lease lease = rankers.borrow(keyId)) {
                if (lease.get().evalMode() == EvalMode.MM) {
                    throw mmRefused(keyId);
                }
                ranked = lease.get().topK(data, k, threshold, shards);
            }
            TopKResponse.Builder b = TopKResponse.newBuilder();
            for (RankedScore s : ranked) {
                b.addResults(TopKResult.newBuilder().setScore(s.score()).setMetadataIdx(
                        MetadataIdx.newBuilder().setShardIdx(s.shardIdx()).setRowIdx(s.rowIdx())));
            }
            return b.build();
        });
    }

    private static KmsError mmRefused(String keyId) {
        return KmsError.invalid("TopK for MM sets is not supported (key " + keyId + " is an MM set)");
    }

    private void encryptMetadata(EncryptMetadataRequest q, StreamObserver<EncryptMetadataResponse> out) {
        replies.unary("EncryptMetadata", q, EncryptMetadataResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            keys.requireUsable(keyId);
            EncryptMetadataResponse.Builder b = EncryptMetadataResponse.newBuilder();
            try (OpenKeys<MetadataCipher>.Lease lease = ciphers.borrow(keyId)) {
                for (String text : r.getPlaintextMetadataList()) {
                    b.addEncryptedMetadata(ByteString.copyFrom(Base64.getDecoder().decode(lease.get().encrypt(text))));
                }
            }
            return b.build();
        });
    }

    private void decryptMetadata(DecryptMetadataRequest q, StreamObserver<DecryptMetadataResponse> out) {
        replies.unary("DecryptMetadata", q, DecryptMetadataResponse.getDefaultInstance(), out, (r, keyId, principal) -> {
            keys.requireUsable(keyId);
            DecryptMetadataResponse.Builder b = DecryptMetadataResponse.newBuilder();
            try (OpenKeys<MetadataCipher>.Lease lease = ciphers.borrow(keyId)) {
                for (int i = 0; i < r.getEncryptedMetadataCount(); i++) {
                    String encoded = Base64.getEncoder().encodeToString(r.getEncryptedMetadata(i).toByteArray());
                    try {
                        b.addPlaintextMetadata(new String(lease.get().decrypt(encoded), StandardCharsets.UTF_8));
                    } catch (KeygenException e) {
                        throw KmsError.fail("encrypted_metadata[" + i + "] does not decrypt with key " + keyId
                                + "'s MetadataKey: not made by it, or changed");
                    }
                }
            }
            return b.build();
        });
    }

    private void health(HeartbeatRequest q, StreamObserver<HeartbeatResponse> out) {
        KeyManagerService.health(replies, keys, q, out, "TopKService.Health");
    }
}
