package io.evkeygen.cli;

import picocli.CommandLine.Option;

/**
 * {@code --allow_plaintext_remote}: the explicit consent to reach another machine without TLS
 * (tokens and secrets in clear). Declared once per command; {@link StoreOptions} reads it from the
 * command, so the key store and, in server commands, the server share one flag.
 */
final class PlaintextRemoteOption {
    static final String NAME = "--allow_plaintext_remote";

    @Option(names = {NAME, "--allow-plaintext-remote"},
            description = "Allow plaintext (http://, a plaintext emulator) to a host that is not this machine: tokens"
                    + " and secrets then travel in clear. Refused without it; warned about with it.")
    boolean allowed;
}
