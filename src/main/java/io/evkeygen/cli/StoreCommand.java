package io.evkeygen.cli;

import io.evkeygen.KeyStores;
import io.evkeygen.error.KeygenException;
import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.spi.KeyStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code store list|exists|download|delete|upload}: key sets in a local directory, AWS, Google Cloud or Vault. */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Manage stored key sets (--key_store local|aws|gcp|vault).",
        subcommands = {StoreCommand.ListCmd.class, StoreCommand.Exists.class, StoreCommand.Download.class,
                StoreCommand.Delete.class, StoreCommand.Upload.class})
final class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw KeygenException.usage("store needs a subcommand: list, exists, download, delete or upload");
    }

    /** Flags every store subcommand shares. */
    abstract static class Base implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Mixin
        PlaintextRemoteOption plaintextRemote;

        @Option(names = {"--key_path", "--key-path"}, paramLabel = "DIR", defaultValue = "./keys",
                description = "Local key directory parent (default: ${DEFAULT-VALUE}).")
        Path keyPath;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        KeyStore open() {
            return store.open(keyPath);
        }
    }

    /** Base with a required {@code --key_id}. */
    abstract static class WithId extends Base {
        @Option(names = {"--key_id", "--key-id"}, required = true, paramLabel = "ID", description = "Key id.")
        String keyId;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List key ids holding a complete key set.")
    static final class ListCmd extends Base {
        @Override
        public Integer call() throws Exception {
            try (KeyStore s = open()) {
                s.list().forEach(out()::println);
            }
            return 0;
        }
    }

    @Command(name = "exists", mixinStandardHelpOptions = true,
            description = "Show which parts of a key set are present: complete, incomplete or absent.")
    static final class Exists extends WithId {
        @Override
        public Integer call() throws Exception {
            try (KeyStore s = open()) {
                Set<KeyFileKind> parts = s.parts(keyId);
                String state = parts.containsAll(KeyStores.REQUIRED) ? "complete" : parts.isEmpty() ? "absent" : "incomplete";
                List<String> names = new ArrayList<>();
                parts.forEach(k -> names.add(k.fileName()));
                out().println(keyId + ": " + state + (names.isEmpty() ? "" : " (" + String.join(", ", names) + ")"));
            }
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Copy a key set from AWS, Google Cloud or Vault into <key_path>/<key_id>/ (or"
                    + " <download_path>/<key_id>/), atomically, verified before it appears.")
    static final class Download extends WithId {
        @Option(names = {"--download_path", "--download-path"}, paramLabel = "DIR",
                description = "Where the copy goes (default: --key_path; needed with vault, whose EncKey and EvalKey"
                        + " already live in --key_path).")
        Path downloadPath;

        @Override
        public Integer call() throws Exception {
            if (!store.remote()) {
                throw KeygenException.usage("download needs --key_store " + StoreTable.choices(true));
            }
            Path to = downloadPath != null ? downloadPath : keyPath;
            if (store.kind().publicHalfInKeyPath() && to.toAbsolutePath().normalize().equals(keyPath.toAbsolutePath().normalize())) {
                throw KeygenException.usage("with --key_store " + store.name() + ", EncKey and EvalKey already live in --key_path: give"
                        + " --download_path DIR for a complete local copy");
            }
            try (KeyStore s = open()) {
                Path dir = KeyStores.download(s, keyId, to);
                out().println("Key set downloaded and verified: " + dir);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete every part of a key set (missing parts are fine).")
    static final class Delete extends WithId {
        @Override
        public Integer call() throws Exception {
            try (KeyStore s = open()) {
                s.delete(keyId);
                out().println("Deleted " + keyId);
            }
            return 0;
        }
    }

    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = "Verify a local key directory, then store it under --key_id (refuses an existing id).")
    static final class Upload extends WithId {
        @Parameters(paramLabel = "DIR", description = "The key directory to upload.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            store.require(keyId, keyPath);
            try (KeyStore s = open()) {
                out().println("Key set uploaded to " + KeyStores.upload(dir, s, keyId));
            }
            return 0;
        }
    }
}
