package io.evkeygen.server;

import io.evkeygen.KeySet;
import io.evkeygen.server.internal.proto.CommonV2;
import io.evkeygen.server.internal.proto.EndpointV2;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * API v2, {@code endpoint.v2.EndpointService} (the current Python SDK's): request headers carry a
 * random id and the time; register_key names the preset and eval mode in upper case, gives each
 * frame's own length in {@code key.size} and the payload's in {@code total_size}; get_key_info
 * tells a listed key's hash and whether it is loaded.
 */
final class ApiV2Protocol extends ServerProtocol {
    private static final SecureRandom RANDOM = new SecureRandom();

    ApiV2Protocol(GrpcTransport transport) {
        super(transport, ServerApi.V2, List.of(Rpcs.V2.GET_KEY_LIST, Rpcs.V2.GET_KEY_INFO, Rpcs.V2.REGISTER_KEY,
                Rpcs.V2.LOAD_KEY, Rpcs.V2.UNLOAD_KEY, Rpcs.V2.DELETE_KEY));
    }

    /** The method's type, 20 random lower-case hex characters, the time in seconds. */
    @Override
    CommonV2.RequestHeader header(Call call) {
        byte[] id = new byte[10];
        RANDOM.nextBytes(id);
        return CommonV2.RequestHeader.newBuilder().setType(CommonV2.MessageType.valueOf(call.messageType))
                .setId(HexFormat.of().formatHex(id)).setTimestamp(System.currentTimeMillis() / 1000).build();
    }

    @Override
    Optional<ServerKeyInfo> describe(String keyId) {
        CommonV2.KeyInfo k = transport.unary(Call.GET_KEY_INFO.rpc(), Rpcs.V2.GET_KEY_INFO, () -> EndpointV2
                .GetKeyInfoRequest.newBuilder().setHeader(header(Call.GET_KEY_INFO)).setKeyId(keyId).build(), false)
                .response().getKeyInfo();
        return Optional.of(new ServerKeyInfo(k.getKeyId().isEmpty() ? keyId : k.getKeyId(), k.getType(),
                k.getPreset(), k.getEvalMode(), k.getSha256Sum(), k.getIsLoaded()));
    }

    @Override
    void register(KeySet.EvalKeyDigest d, EvalKeyPayload payload, UploadProgress progress) throws IOException {
        EndpointV2.RegisterKeyRequest every = EndpointV2.RegisterKeyRequest.newBuilder()
                .setHeader(header(Call.REGISTER_KEY)).setTotalSize(d.length())
                .setKeyInfo(keyInfo(CommonV2.KeyInfo.newBuilder(), d, s -> s.toUpperCase(Locale.ROOT))).build();
        upload(Rpcs.V2.REGISTER_KEY, chunk -> every.toBuilder()
                .setKey(CommonV2.Key.newBuilder().setSize(chunk.size()).setValue(chunk)).build(), payload, d, progress);
    }
}
