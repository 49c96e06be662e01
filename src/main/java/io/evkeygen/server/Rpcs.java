package io.evkeygen.server;

import com.google.protobuf.Message;
import io.evkeygen.server.internal.proto.EndpointV2;
import io.evkeygen.server.internal.proto.Es2e;
import io.evkeygen.server.internal.proto.HealthV1;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.MethodDescriptor;

/**
 * The gRPC methods of both API generations (SERVER-KEYS.md), written by hand from the generated
 * messages: a key client needs six methods, and hand-written descriptors keep protoc-gen-grpc-java
 * (a native binary whose versions run ahead of the gRPC runtime) out of the build. Each generation's
 * class ({@link ApiV2Protocol}, {@link Es2eProtocol}) lists the ones it calls, the transport uses the
 * health check, and the tests' fake server serves them all.
 */
final class Rpcs {
    static final String V2_SERVICE = "endpoint.v2.EndpointService";
    static final String ES2E_SERVICE = "ES2E.ES2EService";
    static final String HEALTH_SERVICE = "grpc.health.v1.Health";

    /** grpc.health.v1.Health/Check, asked once before a client's first call. */
    static final MethodDescriptor<HealthV1.HealthCheckRequest, HealthV1.HealthCheckResponse> HEALTH_CHECK =
            method(HEALTH_SERVICE, "Check", MethodType.UNARY,
                    HealthV1.HealthCheckRequest.getDefaultInstance(), HealthV1.HealthCheckResponse.getDefaultInstance());

    private Rpcs() {}

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
            String service, String name, MethodType type, Q request, R response) {
        return GrpcTransport.method(service, name, type, request, response);
    }

    /** endpoint.v2.EndpointService. */
    static final class V2 {
        static final MethodDescriptor<EndpointV2.GetKeyListRequest, EndpointV2.GetKeyListResponse> GET_KEY_LIST =
                method(V2_SERVICE, "get_key_list", MethodType.UNARY,
                        EndpointV2.GetKeyListRequest.getDefaultInstance(), EndpointV2.GetKeyListResponse.getDefaultInstance());
        static final MethodDescriptor<EndpointV2.GetKeyInfoRequest, EndpointV2.GetKeyInfoResponse> GET_KEY_INFO =
                method(V2_SERVICE, "get_key_info", MethodType.UNARY,
                        EndpointV2.GetKeyInfoRequest.getDefaultInstance(), EndpointV2.GetKeyInfoResponse.getDefaultInstance());
        static final MethodDescriptor<EndpointV2.RegisterKeyRequest, EndpointV2.RegisterKeyResponse> REGISTER_KEY =
                method(V2_SERVICE, "register_key", MethodType.CLIENT_STREAMING,
                        EndpointV2.RegisterKeyRequest.getDefaultInstance(), EndpointV2.RegisterKeyResponse.getDefaultInstance());
        static final MethodDescriptor<EndpointV2.LoadKeyRequest, EndpointV2.LoadKeyResponse> LOAD_KEY =
                method(V2_SERVICE, "load_key", MethodType.UNARY,
                        EndpointV2.LoadKeyRequest.getDefaultInstance(), EndpointV2.LoadKeyResponse.getDefaultInstance());
        static final MethodDescriptor<EndpointV2.UnloadKeyRequest, EndpointV2.UnloadKeyResponse> UNLOAD_KEY =
                method(V2_SERVICE, "unload_key", MethodType.UNARY,
                        EndpointV2.UnloadKeyRequest.getDefaultInstance(), EndpointV2.UnloadKeyResponse.getDefaultInstance());
        static final MethodDescriptor<EndpointV2.DeleteKeyRequest, EndpointV2.DeleteKeyResponse> DELETE_KEY =
                method(V2_SERVICE, "delete_key", MethodType.UNARY,
                        EndpointV2.DeleteKeyRequest.getDefaultInstance(), EndpointV2.DeleteKeyResponse.getDefaultInstance());

        private V2() {}
    }

    /** ES2E.ES2EService. */
    static final class Es2eRpcs {
        static final MethodDescriptor<Es2e.GetKeyListRequest, Es2e.GetKeyListResponse> GET_KEY_LIST =
                method(ES2E_SERVICE, "get_key_list", MethodType.UNARY,
                        Es2e.GetKeyListRequest.getDefaultInstance(), Es2e.GetKeyListResponse.getDefaultInstance());
        static final MethodDescriptor<Es2e.RegisterKeyRequest, Es2e.RegisterKeyResponse> REGISTER_KEY =
                method(ES2E_SERVICE, "register_key", MethodType.CLIENT_STREAMING,
                        Es2e.RegisterKeyRequest.getDefaultInstance(), Es2e.RegisterKeyResponse.getDefaultInstance());
        static final MethodDescriptor<Es2e.LoadKeyRequest, Es2e.LoadKeyResponse> LOAD_KEY =
                method(ES2E_SERVICE, "load_key", MethodType.UNARY,
                        Es2e.LoadKeyRequest.getDefaultInstance(), Es2e.LoadKeyResponse.getDefaultInstance());
        static final MethodDescriptor<Es2e.UnloadKeyRequest, Es2e.UnloadKeyResponse> UNLOAD_KEY =
                method(ES2E_SERVICE, "unload_key", MethodType.UNARY,
                        Es2e.UnloadKeyRequest.getDefaultInstance(), Es2e.UnloadKeyResponse.getDefaultInstance());
        static final MethodDescriptor<Es2e.DeleteKeyRequest, Es2e.DeleteKeyResponse> DELETE_KEY =
                method(ES2E_SERVICE, "delete_key", MethodType.UNARY,
                        Es2e.DeleteKeyRequest.getDefaultInstance(), Es2e.DeleteKeyResponse.getDefaultInstance());

        private Es2eRpcs() {}
    }
}
