package io.evkeygen.kms.internal;

import com.google.protobuf.Message;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DecryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DeleteResponse;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.DownloadKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataRequest;
import io.evkeygen.kms.internal.proto.KmsV2.EncryptMetadataResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GenerateKeyResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyDetailsResponse;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusRequest;
import io.evkeygen.kms.internal.proto.KmsV2.GetKeyStatusResponse;
import io.evkeygen.kms.internal.proto.KmsV2.TopKRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TopKResponse;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateRequest;
import io.evkeygen.kms.internal.proto.KmsV2.TransitionStateResponse;
import io.evkeygen.server.GrpcTransport;
import io.evkeygen.server.internal.proto.CommonV2;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;

/**
 * The KMS's gRPC methods (KMS.md, "Services"), written by hand from the generated messages as the
 * key server's are ({@code io.evkeygen.server.Rpcs}): the client calls them and the server serves them.
 */
public final class KmsRpcs {
    public static final String KEY_MANAGER_SERVICE = "kms.v2.KeyManagerService";
    public static final String TOP_K_SERVICE = "kms.v2.TopKService";

    public static final MethodDescriptor<GenerateKeyRequest, GenerateKeyResponse> GENERATE_KEY =
            method(KEY_MANAGER_SERVICE, "GenerateKey", MethodType.UNARY, GenerateKeyRequest.getDefaultInstance(), GenerateKeyResponse.getDefaultInstance());
    public static final MethodDescriptor<GetKeyStatusRequest, GetKeyStatusResponse> GET_KEY_STATUS =
            method(KEY_MANAGER_SERVICE, "GetKeyStatus", MethodType.UNARY, GetKeyStatusRequest.getDefaultInstance(), GetKeyStatusResponse.getDefaultInstance());
    public static final MethodDescriptor<GetKeyDetailsRequest, GetKeyDetailsResponse> GET_KEY_DETAILS =
            method(KEY_MANAGER_SERVICE, "GetKeyDetails", MethodType.UNARY, GetKeyDetailsRequest.getDefaultInstance(), GetKeyDetailsResponse.getDefaultInstance());
    public static final MethodDescriptor<DownloadKeyRequest, DownloadKeyResponse> DOWNLOAD_KEY =
            method(KEY_MANAGER_SERVICE, "DownloadKey", MethodType.SERVER_STREAMING, DownloadKeyRequest.getDefaultInstance(), DownloadKeyResponse.getDefaultInstance());
    public static final MethodDescriptor<TransitionStateRequest, TransitionStateResponse> TRANSITION_STATE =
            method(KEY_MANAGER_SERVICE, "TransitionState", MethodType.UNARY, TransitionStateRequest.getDefaultInstance(), TransitionStateResponse.getDefaultInstance());
    public static final MethodDescriptor<DeleteRequest, DeleteResponse> DELETE =
            method(KEY_MANAGER_SERVICE, "Delete", MethodType.UNARY, DeleteRequest.getDefaultInstance(), DeleteResponse.getDefaultInstance());
    public static final MethodDescriptor<CommonV2.HeartbeatRequest, CommonV2.HeartbeatResponse> KEY_MANAGER_HEALTH =
            method(KEY_MANAGER_SERVICE, "Health", MethodType.UNARY, CommonV2.HeartbeatRequest.getDefaultInstance(), CommonV2.HeartbeatResponse.getDefaultInstance());
    public static final MethodDescriptor<TopKRequest, TopKResponse> TOP_K =
            method(TOP_K_SERVICE, "TopK", MethodType.UNARY, TopKRequest.getDefaultInstance(), TopKResponse.getDefaultInstance());
    public static final MethodDescriptor<EncryptMetadataRequest, EncryptMetadataResponse> ENCRYPT_METADATA =
            method(TOP_K_SERVICE, "EncryptMetadata", MethodType.UNARY, EncryptMetadataRequest.getDefaultInstance(), EncryptMetadataResponse.getDefaultInstance());
    public static final MethodDescriptor<DecryptMetadataRequest, DecryptMetadataResponse> DECRYPT_METADATA =
            method(TOP_K_SERVICE, "DecryptMetadata", MethodType.UNARY, DecryptMetadataRequest.getDefaultInstance(), DecryptMetadataResponse.getDefaultInstance());
    public static final MethodDescriptor<CommonV2.HeartbeatRequest, CommonV2.HeartbeatResponse> TOP_K_HEALTH =
            method(TOP_K_SERVICE, "Health", MethodType.UNARY, CommonV2.HeartbeatRequest.getDefaultInstance(), CommonV2.HeartbeatResponse.getDefaultInstance());

    private KmsRpcs() {}

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
            String service, String name, MethodType type, Q request, R response) {
        return GrpcTransport.method(service, name, type, request, response);
    }
}
