package io.evkeygen.gcp;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DeleteSecretRequest;
import com.google.cloud.secretmanager.v1.DestroySecretVersionRequest;
import com.google.cloud.secretmanager.v1.GetSecretVersionRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsRequest;
import com.google.cloud.secretmanager.v1.ListSecretVersionsResponse;
import com.google.cloud.secretmanager.v1.ListSecretsRequest;
import com.google.cloud.secretmanager.v1.ListSecretsResponse;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * A FAKE of Google Secret Manager (v1) for tests: a gRPC server (Netty, plaintext) on 127.0.0.1
 * implementing CreateSecret, AddSecretVersion, AccessSecretVersion, GetSecretVersion,
 * ListSecretVersions, DestroySecretVersion (the payload is dropped; FAILED_PRECONDITION for one
 * already destroyed, INVALID_ARGUMENT for {@code latest}), DeleteSecret and ListSecrets of {@code google.cloud.secretmanager.v1.SecretManagerService}, with the status
 * codes the real service returns (ALREADY_EXISTS, NOT_FOUND). It checks the request shapes (the
 * project in every parent and name, secret ids of {@code [A-Za-z0-9_-]{1,255}}, automatic
 * replication, a CRC32C on every payload that matches it, the {@code x-goog-request-params} routing
 * header) and the {@code authorization} header (UNAUTHENTICATED when wrong), records the calls, and fails the N-th call with a
 * chosen status.
 */
public final class FakeSecretManagerServer implements AutoCloseable {
    private static final String SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";
    private static final int PAGE = 2;
    private static final Metadata.Key<String> AUTH = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> PARAMS = Metadata.Key.of("x-goog-request-params", Metadata.ASCII_STRING_MARSHALLER);

    private static final class Stored {
        final Secret secret;
        final List<byte[]> versions = new ArrayList<>(); // null: destroyed

        Stored(Secret secret) {
            this.secret = secret;
        }
    }

    private final String project;
    private final Server server;
    private final Map<String, Stored> secrets = new TreeMap<>();
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger callCount = new AtomicInteger();
    private volatile String expectedToken;
    private volatile int failAt = -1;
    private volatile int failTimes;
    private volatile Status.Code failCode;
    private volatile boolean corruptChecksums;

    public FakeSecretManagerServer(String project) throws IOException {
        this.project = project;
        ServerServiceDefinition def = ServerServiceDefinition.builder(SERVICE)
                .addMethod(method("CreateSecret", CreateSecretRequest.getDefaultInstance(), Secret.getDefaultInstance()),
                        unary("CreateSecret", this::create))
                .addMethod(method("AddSecretVersion", AddSecretVersionRequest.getDefaultInstance(),
                        SecretVersion.getDefaultInstance()), unary("AddSecretVersion", this::addVersion))
                .addMethod(method("AccessSecretVersion", AccessSecretVersionRequest.getDefaultInstance(),
                        AccessSecretVersionResponse.getDefaultInstance()), unary("AccessSecretVersion", this::access))
                .addMethod(method("GetSecretVersion", GetSecretVersionRequest.getDefaultInstance(),
                        SecretVersion.getDefaultInstance()), unary("GetSecretVersion", this::getVersion))
                .addMethod(method("ListSecretVersions", ListSecretVersionsRequest.getDefaultInstance(),
                        ListSecretVersionsResponse.getDefaultInstance()), unary("ListSecretVersions", this::listVersions))
                .addMethod(method("DestroySecretVersion", DestroySecretVersionRequest.getDefaultInstance(),
                        SecretVersion.getDefaultInstance()), unary("DestroySecretVersion", this::destroyVersion))
                .addMethod(method("DeleteSecret", DeleteSecretRequest.getDefaultInstance(), Empty.getDefaultInstance()),
                        unary("DeleteSecret", this::delete))
                .addMethod(method("ListSecrets", ListSecretsRequest.getDefaultInstance(),
                        ListSecretsResponse.getDefaultInstance()), unary("ListSecrets", this::list))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(def, new Headers()))
                .build().start();
    }

    /** {@code 127.0.0.1:port}, for a plaintext channel. */
    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    /** Calls must carry {@code authorization: Bearer token}; null: no authorization header at all. */
    public void expectToken(String token) {
        expectedToken = token;
    }

    public synchronized void reset() {
        secrets.clear();
        calls.clear();
        problems.clear();
        failAt = -1;
        corruptChecksums = false;
    }

    /** Fails the {@code n}-th call from now (1 = the next), {@code times} in a row, with {@code code}. */
    public synchronized void failCalls(int n, int times, Status.Code code) {
        callCount.set(0);
        failAt = n;
        failTimes = times;
        failCode = code;
    }

    /** Answers AccessSecretVersion with a wrong CRC32C (a payload corrupted in transit). */
    public void corruptChecksums(boolean on) {
        corruptChecksums = on;
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** Secret id to its latest payload as text (secrets without versions map to null). */
    public synchronized Map<String, String> latest() {
        Map<String, String> m = new TreeMap<>();
        secrets.forEach((id, s) -> m.put(id, s.versions.isEmpty() || s.versions.get(s.versions.size() - 1) == null
                ? null : new String(s.versions.get(s.versions.size() - 1), java.nio.charset.StandardCharsets.UTF_8)));
        return m;
    }

    /** How many versions of {@code id} still hold a payload (not destroyed). */
    public synchronized int liveVersions(String id) {
        return (int) secrets.get(id).versions.stream().filter(v -> v != null).count();
    }

    /** Replication and labels of a secret, for shape checks. */
    public synchronized Secret secret(String id) {
        return secrets.get(id).secret;
    }

    /** Puts a secret with one version, as another writer would. */
    public synchronized void put(String id, byte[] value) {
        Stored s = new Stored(Secret.newBuilder().setName(parent() + "/secrets/" + id).build());
        s.versions.add(value.clone());
        secrets.put(id, s);
    }

    private String parent() {
        return "projects/" + project;
    }

    // --- the service ---

    private Secret create(CreateSecretRequest r) {
        expectParent(r.getParent());
        String id = r.getSecretId();
        calls.add("CreateSecret " + id);
        if (!id.matches("[A-Za-z0-9_-]{1,255}")) {
            problems.add("bad secret id " + id);
            throw Status.INVALID_ARGUMENT.withDescription("invalid secret id").asRuntimeException();
        }
        if (!r.getSecret().getReplication().hasAutomatic()) {
            problems.add("secret " + id + " without automatic replication");
        }
        if (secrets.containsKey(id)) {
            throw Status.ALREADY_EXISTS.withDescription("Secret [" + parent() + "/secrets/" + id + "] already exists.")
                    .asRuntimeException();
        }
        Secret s = r.getSecret().toBuilder().setName(parent() + "/secrets/" + id).build();
        secrets.put(id, new Stored(s));
        return s;
    }

    private SecretVersion addVersion(AddSecretVersionRequest r) {
        String id = secretId(r.getParent(), false);
        calls.add("AddSecretVersion " + id);
        Stored s = secrets.get(id);
        if (s == null) {
            throw Status.NOT_FOUND.withDescription("Secret [" + r.getParent() + "] not found").asRuntimeException();
        }
        byte[] data = r.getPayload().getData().toByteArray();
        if (!r.getPayload().hasDataCrc32C()) {
            problems.add("payload of " + id + " without data_crc32c");
        } else if (r.getPayload().getDataCrc32C() != crc(data)) {
            throw Status.DATA_LOSS.withDescription("Checksum mismatch").asRuntimeException();
        }
        s.versions.add(data);
        return SecretVersion.newBuilder().setName(r.getParent() + "/versions/" + s.versions.size())
                .setState(SecretVersion.State.ENABLED).build();
    }

    private AccessSecretVersionResponse access(AccessSecretVersionRequest r) {
        String id = secretId(r.getName(), true);
        calls.add("AccessSecretVersion " + r.getName().substring(r.getName().indexOf("/secrets/") + 9));
        byte[] data = version(id, r.getName());
        long crc = crc(data) ^ (corruptChecksums ? 1 : 0);
        return AccessSecretVersionResponse.newBuilder().setName(r.getName())
                .setPayload(SecretPayload.newBuilder().setData(ByteString.copyFrom(data)).setDataCrc32C(crc)).build();
    }

    private SecretVersion getVersion(GetSecretVersionRequest r) {
        String id = secretId(r.getName(), true);
        calls.add("GetSecretVersion " + r.getName().substring(r.getName().indexOf("/secrets/") + 9));
        version(id, r.getName());
        return SecretVersion.newBuilder().setName(r.getName()).setState(SecretVersion.State.ENABLED).build();
    }

    private byte[] version(String id, String name) {
        Stored s = secrets.get(id);
        if (s == null || s.versions.isEmpty()) {
            throw Status.NOT_FOUND.withDescription(s == null ? "Secret [" + parent() + "/secrets/" + id + "] not found"
                    : "Secret Version [" + name + "] not found").asRuntimeException();
        }
        String v = name.substring(name.lastIndexOf('/') + 1);
        if (!v.equals("latest")) {
            problems.add("read of version " + v + " instead of latest");
        }
        byte[] latest = s.versions.get(s.versions.size() - 1);
        if (latest == null) {
            throw Status.FAILED_PRECONDITION.withDescription("Secret Version [" + name + "] is in DESTROYED state.")
                    .asRuntimeException();
        }
        return latest;
    }

    private ListSecretVersionsResponse listVersions(ListSecretVersionsRequest r) {
        String id = secretId(r.getParent(), false);
        calls.add("ListSecretVersions " + id);
        Stored s = secrets.get(id);
        if (s == null) {
            throw Status.NOT_FOUND.withDescription("Secret [" + r.getParent() + "] not found").asRuntimeException();
        }
        int start = r.getPageToken().isEmpty() ? 0 : Integer.parseInt(r.getPageToken());
        int end = Math.min(s.versions.size(), start + PAGE);
        ListSecretVersionsResponse.Builder b = ListSecretVersionsResponse.newBuilder().setTotalSize(s.versions.size());
        for (int i = s.versions.size() - 1 - start; i >= s.versions.size() - end; i--) { // newest first, as the service
            b.addVersions(SecretVersion.newBuilder().setName(r.getParent() + "/versions/" + (i + 1))
                    .setState(s.versions.get(i) == null ? SecretVersion.State.DESTROYED : SecretVersion.State.ENABLED));
        }
        if (end < s.versions.size()) {
            b.setNextPageToken(Integer.toString(end));
        }
        return b.build();
    }

    private SecretVersion destroyVersion(DestroySecretVersionRequest r) {
        String id = secretId(r.getName(), true);
        String v = r.getName().substring(r.getName().lastIndexOf('/') + 1);
        calls.add("DestroySecretVersion " + id + "/" + v);
        Stored s = secrets.get(id);
        if (!v.matches("[1-9][0-9]*")) {
            problems.add("destroy of version " + v + " instead of a number");
            throw Status.INVALID_ARGUMENT.withDescription("a version number is required").asRuntimeException();
        }
        int n = Integer.parseInt(v);
        if (s == null || n > s.versions.size()) {
            throw Status.NOT_FOUND.withDescription("Secret Version [" + r.getName() + "] not found").asRuntimeException();
        }
        if (s.versions.get(n - 1) == null) {
            throw Status.FAILED_PRECONDITION.withDescription("Secret Version [" + r.getName()
                    + "] is already in DESTROYED state.").asRuntimeException();
        }
        s.versions.set(n - 1, null);
        return SecretVersion.newBuilder().setName(r.getName()).setState(SecretVersion.State.DESTROYED).build();
    }

    private Empty delete(DeleteSecretRequest r) {
        String id = secretId(r.getName(), false);
        calls.add("DeleteSecret " + id);
        if (secrets.remove(id) == null) {
            throw Status.NOT_FOUND.withDescription("Secret [" + r.getName() + "] not found").asRuntimeException();
        }
        return Empty.getDefaultInstance();
    }

    private ListSecretsResponse list(ListSecretsRequest r) {
        expectParent(r.getParent());
        calls.add("ListSecrets " + r.getFilter());
        String needle = r.getFilter().startsWith("name:") ? r.getFilter().substring(5) : "";
        if (!r.getFilter().isEmpty() && !r.getFilter().startsWith("name:")) {
            problems.add("unsupported filter " + r.getFilter());
        }
        List<String> ids = new ArrayList<>();
        for (String id : secrets.keySet()) {
            if (id.contains(needle)) {
                ids.add(id);
            }
        }
        int start = r.getPageToken().isEmpty() ? 0 : Integer.parseInt(r.getPageToken());
        int end = Math.min(ids.size(), start + PAGE);
        ListSecretsResponse.Builder b = ListSecretsResponse.newBuilder().setTotalSize(ids.size());
        for (String id : ids.subList(start, end)) {
            b.addSecrets(secrets.get(id).secret);
        }
        if (end < ids.size()) {
            b.setNextPageToken(Integer.toString(end));
        }
        return b.build();
    }

    private void expectParent(String parent) {
        if (!parent().equals(parent)) {
            problems.add("parent " + parent + " instead of " + parent());
            throw Status.PERMISSION_DENIED.withDescription("wrong project").asRuntimeException();
        }
    }

    /** The secret id of {@code projects/P/secrets/ID[/versions/V]}, checking the project. */
    private String secretId(String name, boolean version) {
        String[] p = name.split("/");
        boolean ok = p.length == (version ? 6 : 4) && p[0].equals("projects") && p[2].equals("secrets")
                && (!version || p[4].equals("versions"));
        if (!ok) {
            problems.add("malformed name " + name);
            throw Status.INVALID_ARGUMENT.withDescription("malformed name").asRuntimeException();
        }
        expectParent(p[0] + "/" + p[1]);
        return p[3];
    }

    private static long crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return c.getValue();
    }

    // --- plumbing ---

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(String name, Q req, R resp) {
        return MethodDescriptor.<Q, R>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(req)).setResponseMarshaller(ProtoUtils.marshaller(resp)).build();
    }

    private <Q, R> ServerCallHandler<Q, R> unary(String name, Function<Q, R> f) {
        return ServerCalls.asyncUnaryCall((Q req, StreamObserver<R> obs) -> {
            int n = callCount.incrementAndGet();
            if (failAt > 0 && n >= failAt && n < failAt + failTimes) {
                calls.add("FAILED " + name);
                obs.onError(Status.fromCode(failCode).withDescription("injected failure").asRuntimeException());
                return;
            }
            R r;
            try {
                synchronized (this) {
                    r = f.apply(req);
                }
            } catch (io.grpc.StatusRuntimeException e) {
                obs.onError(e);
                return;
            }
            obs.onNext(r);
            obs.onCompleted();
        });
    }

    /** Checks the authorization and routing headers of every call. */
    private final class Headers implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                          ServerCallHandler<Q, R> next) {
            String auth = headers.get(AUTH);
            String want = expectedToken;
            if ((want == null && auth != null) || (want != null && !("Bearer " + want).equals(auth))) {
                problems.add("bad authorization header on " + call.getMethodDescriptor().getBareMethodName());
                calls.add("UNAUTHENTICATED " + call.getMethodDescriptor().getBareMethodName());
                call.close(Status.UNAUTHENTICATED.withDescription("Request had invalid authentication credentials."),
                        new Metadata());
                return new ServerCall.Listener<>() {};
            }
            String params = headers.get(PARAMS);
            if (params == null || !(params.startsWith("parent=") || params.startsWith("name="))
                    || !params.contains("projects%2F" + project)) {
                problems.add("routing header " + params + " on " + call.getMethodDescriptor().getBareMethodName());
            }
            return next.startCall(call, headers);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
