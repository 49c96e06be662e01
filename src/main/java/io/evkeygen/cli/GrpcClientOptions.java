package io.evkeygen.cli;

import io.evkeygen.error.KeygenException;
import io.evkeygen.server.ChannelSettings;
import io.evkeygen.server.ServerAuth;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of a command that calls a gRPC service (the enVector server, the KMS): TLS or
 * plaintext, a private CA, the bearer token (a file or the environment, never the command line) or
 * the OAuth2 refresh, and the deadline of each call.
 */
final class GrpcClientOptions {
    @Option(names = "--insecure", description = "Plaintext HTTP/2 to a service on this machine (localhost,"
            + " 127.0.0.0/8, ::1); default is TLS.")
    boolean insecure;

    /** One flag for the service and, where a command has one, the key store (picocli refuses a flag twice). */
    @Mixin
    PlaintextRemoteOption plaintextRemote;

    @Option(names = {"--ca_cert", "--ca-cert"}, paramLabel = "FILE",
            description = "Trust this PEM CA certificate instead of the system trust store.")
    Path caCert;

    @Option(names = {"--token_file", "--token-file"}, paramLabel = "FILE",
            description = "Bearer token file (default: the environment variable " + ServerAuth.TOKEN_ENV + ").")
    Path tokenFile;

    @Option(names = {"--timeout", "--timeout_seconds"}, defaultValue = "30", paramLabel = "SECONDS",
            description = "Deadline of each call except streams (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = {"--oauth_token_endpoint", "--oauth-token-endpoint"}, paramLabel = "URL",
            description = "OAuth2 refresh-token mode: the token endpoint.")
    URI oauthTokenEndpoint;

    @Option(names = {"--oauth_issuer", "--oauth-issuer"}, paramLabel = "URL",
            description = "OAuth2 refresh-token mode: an OIDC issuer naming the token endpoint.")
    URI oauthIssuer;

    @Option(names = {"--oauth_client_id", "--oauth-client-id"}, paramLabel = "ID", description = "OAuth2 client id.")
    String oauthClientId;

    @Option(names = {"--oauth_client_secret_file", "--oauth-client-secret-file"}, paramLabel = "FILE",
            description = "OAuth2 client secret in a file (optional).")
    Path oauthClientSecretFile;

    @Option(names = {"--oauth_scope", "--oauth-scope"}, paramLabel = "SCOPE", description = "OAuth2 scope (optional).")
    String oauthScope;

    @Option(names = {"--refresh_token_file", "--refresh-token-file"}, paramLabel = "FILE",
            description = "OAuth2 refresh token in a file.")
    Path refreshTokenFile;

    /**
     * {@code b} with these flags: TLS or plaintext (not both with a CA), the CA, the token or OAuth2
     * refresh; warnings (and one about a secret file readable by others) go to {@code err}.
     */
    <B extends ChannelSettings<B>> B configure(B b, PrintWriter err) throws IOException {
        if (insecure && caCert != null) {
            throw KeygenException.usage("give --insecure or --ca_cert, not both");
        }
        b.auth(auth(err)).allowPlaintextRemote(plaintextRemote.allowed).warnings(w -> KekOptions.warn(err, w));
        if (insecure) {
            b.insecure();
        }
        if (caCert != null) {
            b.caCert(caCert);
        }
        return b;
    }

    /** {@code --timeout} as a deadline of at most {@code max}. */
    Duration callTimeout(Duration max) {
        return Seconds.deadline(timeoutSeconds, "--timeout", max);
    }

    /** How calls authenticate; a warning about a secret file readable by others goes to {@code err}. */
    private ServerAuth auth(PrintWriter err) throws IOException {
        boolean oauth = oauthTokenEndpoint != null || oauthIssuer != null || refreshTokenFile != null
                || oauthClientId != null;
        if (oauth) {
            if (tokenFile != null) {
                throw KeygenException.usage("give --token_file or the OAuth2 options, not both");
            }
            if ((oauthTokenEndpoint == null) == (oauthIssuer == null)) {
                throw KeygenException.usage("OAuth2 refresh needs one of --oauth_token_endpoint or --oauth_issuer");
            }
            if (refreshTokenFile == null || oauthClientId == null) {
                throw KeygenException.usage("OAuth2 refresh needs --refresh_token_file and --oauth_client_id");
            }
            String secret = oauthClientSecretFile == null ? null
                    : readSecret(oauthClientSecretFile, "--oauth_client_secret_file", err);
            return ServerAuth.oauth2(oauthIssuer != null ? oauthIssuer : oauthTokenEndpoint, oauthIssuer != null,
                    oauthClientId, secret, oauthScope, readSecret(refreshTokenFile, "--refresh_token_file", err));
        }
        if (tokenFile != null) {
            // each byte one character: one outside ASCII is refused as not a bearer token, never decoded
            String token = new String(readSecretFile(tokenFile, "--token_file", err), StandardCharsets.ISO_8859_1);
            return ServerAuth.token(token, "--token_file " + tokenFile);
        }
        return ServerAuth.fromEnvironment();
    }

    private static String readSecret(Path file, String flag, PrintWriter err) throws IOException {
        String s = new String(readSecretFile(file, flag, err), StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw KeygenException.usage(flag + " " + file + " is empty");
        }
        return s;
    }

    private static byte[] readSecretFile(Path file, String flag, PrintWriter err) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw KeygenException.usage(flag + " " + file + " does not exist");
        }
        SecretFiles.warnIfReadableByOthers(file, err);
        return content;
    }
}
