package io.evkeygen.server;

import io.evkeygen.KeySet;
import io.evkeygen.server.internal.proto.Es2;
import io.evkeygen.server.internal.proto.Es2e;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ES2E, {@code ES2E.ES2EService} (the Go SDK's): request headers carry only the method's type;
 * register_key names the preset and eval mode in lower case and gives the whole payload's length
 * in every frame's {@code key.size}; there is no get_key_info, so a listed key cannot be checked.
 */
final class Es2eProtocol extends ServerProtocol {
    Es2eProtocol(GrpcTransport transport) {
        super(transport, ServerApi.ES2E, List.of(Rpcs.Es2eRpcs.GET_KEY_LIST, Rpcs.Es2eRpcs.REGISTER_KEY,
                Rpcs.Es2eRpcs.LOAD_KEY, Rpcs.Es2eRpcs.UNLOAD_KEY, Rpcs.Es2eRpcs.DELETE_KEY));
    }

    /** The method's type only (the Go SDK leaves id and timestamp unset). */
    @Override
    Es2.RequestHeader header(Call call) {
        return Es2.RequestHeader.newBuilder().setType(Es2.MessageType.valueOf(call.messageType)).build();
    }

    @Override
    Optional<ServerKeyInfo> describe(String keyId) {
        return Optional.empty();
    }

    @Override
    void register(KeySet.EvalKeyDigest d, EvalKeyPayload payload, UploadProgress progress) throws IOException {
        Es2e.RegisterKeyRequest every = Es2e.RegisterKeyRequest.newBuilder().setHeader(header(Call.REGISTER_KEY))
                .setKeyInfo(keyInfo(Es2.KeyInfo.newBuilder(), d, s -> s.toLowerCase(Locale.ROOT))).build();
        upload(Rpcs.Es2eRpcs.REGISTER_KEY, chunk -> every.toBuilder()
                .setKey(Es2.Key.newBuilder().setSize(d.length()).setValue(chunk)).build(), payload, d, progress);
    }
}
