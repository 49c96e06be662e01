package io.evkeygen.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.evkeygen.server.ServerProtocol.Call;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.PrototypeMarshaller;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One class per API generation: only it (and the descriptor table {@code Rpcs}) speaks its
 * messages, the transport speaks none, and the requests built once for every generation fit each
 * generation's messages.
 */
class ServerProtocolTest {
    private static final String PROTO = "io.evkeygen.server.internal.proto.";
    private static final String TRANSPORT = "io.evkeygen.server.GrpcTransport";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.evkeygen.server");

    @Test
    void onlyItsOwnClassSpeaksAGenerationsMessages() {
        noClasses().that().doNotHaveFullyQualifiedName("io.evkeygen.server.ApiV2Protocol")
                .and().resideOutsideOfPackage("io.evkeygen.server.internal.proto..")
                .and().doNotHaveFullyQualifiedName("io.evkeygen.server.Rpcs$V2")
                .should().dependOnClassesThat().haveNameMatching(PROTO.replace(".", "\\.") + "(EndpointV2|CommonV2)(\\$.*)?")
                .check(MAIN);
        noClasses().that().doNotHaveFullyQualifiedName("io.evkeygen.server.Es2eProtocol")
                .and().resideOutsideOfPackage("io.evkeygen.server.internal.proto..")
                .and().doNotHaveFullyQualifiedName("io.evkeygen.server.Rpcs$Es2eRpcs")
                .should().dependOnClassesThat().haveNameMatching(PROTO.replace(".", "\\.") + "(Es2e|Es2)(\\$.*)?")
                .check(MAIN);
    }

    @Test
    void theTransportKnowsNoGenerationAndNoKeyClient() {
        noClasses().that().haveFullyQualifiedName(TRANSPORT)
                .or().haveNameMatching(TRANSPORT.replace(".", "\\.") + "\\$.*")
                .should().dependOnClassesThat().haveNameMatching(".*\\.(EnvectorClient|ServerProtocol|ApiV2Protocol"
                        + "|Es2eProtocol|Activation|ServerApi)(\\$.*)?")
                .check(MAIN);
    }

    @Test
    void theSharedKeyCallsFitEveryGenerationsMessages() {
        for (ServerApi api : ServerProtocol.DETECTION_ORDER) {
            ServerProtocol p = ServerProtocol.of(api, null);
            for (Call call : List.of(Call.GET_KEY_LIST, Call.LOAD_KEY, Call.UNLOAD_KEY, Call.DELETE_KEY)) {
                MethodDescriptor<? extends Message, ? extends Message> m = p.method(call);
                assertEquals(call.rpc(), m.getBareMethodName());
                assertEquals(p.service(), m.getServiceName());
                Descriptor request = ((Message) ((PrototypeMarshaller<?>) m.getRequestMarshaller()).getMessagePrototype())
                        .getDescriptorForType();
                Message header = p.header(call);
                FieldDescriptor h = request.findFieldByNumber(1);
                assertEquals("header", h.getName(), api + " " + call);
                assertEquals(header.getDescriptorForType(), h.getMessageType(), api + " " + call);
                FieldDescriptor type = header.getDescriptorForType().findFieldByName("type");
                assertEquals(call.messageType, ((EnumValueDescriptor) header.getField(type))
                        .getName(), api + " " + call);
                FieldDescriptor id = request.findFieldByNumber(2);
                if (call == Call.GET_KEY_LIST) {
                    assertNull(id, api + " " + call);
                } else {
                    assertEquals("key_id", id.getName(), api + " " + call);
                    assertEquals(FieldDescriptor.Type.STRING, id.getType(), api + " " + call);
                }
            }
            assertEquals(api, p.api());
        }
        // get_key_info is v2's alone; ES2E answers "cannot describe" without a call
        assertEquals("get_key_info", ServerProtocol.of(ServerApi.V2, null).method(Call.GET_KEY_INFO).getBareMethodName());
        assertThrows(IllegalStateException.class, () -> ServerProtocol.of(ServerApi.ES2E, null).method(Call.GET_KEY_INFO));
        assertTrue(ServerProtocol.of(ServerApi.ES2E, null).describe("k").isEmpty());
    }
}
