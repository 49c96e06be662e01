package io.evkeygen.server;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The connection settings every client of a {@link GrpcTransport} takes, once for all of them (the
 * key server's {@link EnvectorClient.Builder}, the KMS client's): TLS with the system trust store
 * unless told otherwise, a private CA, plaintext to this machine, and how calls authenticate.
 *
 * @param <B> the client's builder, returned by every setter
 */
public abstract class ChannelSettings<B extends ChannelSettings<B>> {
    /** What the settings go to; the client's builder adds its own (deadlines, service options). */
    protected final GrpcTransport.Builder transport;

    protected ChannelSettings(GrpcTransport.Builder transport) {
        this.transport = transport;
    }

    /** This builder, typed as the client's. */
    protected abstract B self();

    /**
     * Plaintext HTTP/2, for a service on this machine: {@code localhost}, 127.0.0.0/8 or {@code ::1}
     * (as spelled; a name is not resolved). To another host it is refused when the client is built,
     * since the bearer token and what the calls carry would cross the network in clear, unless
     * {@link #allowPlaintextRemote(boolean)} says so.
     */
    public B insecure() {
        transport.insecure();
        return self();
    }

    /** Allows {@link #insecure()} to a host that is not loopback (default false), with a warning. */
    public B allowPlaintextRemote(boolean value) {
        transport.allowPlaintextRemote(value);
        return self();
    }

    /** Where a warning goes (default: the transport's System.Logger, WARNING). */
    public B warnings(Consumer<String> sink) {
        transport.warnings(sink);
        return self();
    }

    /** TLS trusting only the CA certificate(s) in this PEM file instead of the system trust store. */
    public B caCert(Path pemFile) {
        transport.caCert(pemFile);
        return self();
    }

    /**
     * No token, a bearer token, or the OAuth2 refresh (a call refused for its token, by gRPC status
     * or by return code AuthenticationError, is retried once after a refresh).
     */
    public B auth(ServerAuth value) {
        transport.auth(value);
        return self();
    }
}
