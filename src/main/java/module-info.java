/**
 * evkeygen: enVector key sets on the JVM. Exports the SDK ({@code io.evkeygen}), its value types
 * ({@code params}, {@code secret}, {@code keyset}), the SPI integrations implement ({@code spi}, and {@code spi.remote} for a remote store) and
 * the integrations' entry points ({@code aws}, {@code server}). Everything under {@code io.evkeygen.internal} and the
 * CLI stay inside the module. Integration libraries are {@code requires static}: a user who only
 * generates keys needs JNA and Jackson, nothing more.
 */
module io.evkeygen {
    requires transitive com.fasterxml.jackson.databind; // MetadataCipher.decryptJson returns a JsonNode
    requires com.fasterxml.jackson.core;
    requires com.sun.jna;
    requires java.logging;

    // the CLI (shaded into evkeygen.jar with these libraries)
    requires static info.picocli;
    requires static jdk.management; // bench: the process's CPU time per key set
    requires static jdk.unsupported; // kms serve: SIGTERM drains the server and exits 0 (sun.misc.Signal)

    // the AWS integration (io.evkeygen.aws): add the AWS SDK modules to use it
    requires static software.amazon.awssdk.auth;
    requires static software.amazon.awssdk.awscore;
    requires static software.amazon.awssdk.core;
    requires static software.amazon.awssdk.http;
    requires static software.amazon.awssdk.http.urlconnection;
    requires static software.amazon.awssdk.regions;
    requires static software.amazon.awssdk.services.kms;
    requires static software.amazon.awssdk.services.s3;
    requires static software.amazon.awssdk.services.secretsmanager;
    requires static software.amazon.awssdk.utils;

    // the enVector server client (io.evkeygen.server): add gRPC (Netty transport) and protobuf-java to use it
    requires static com.google.protobuf;
    requires static io.grpc;
    requires static io.grpc.protobuf;
    requires static io.grpc.stub;

    exports io.evkeygen;
    exports io.evkeygen.error;
    exports io.evkeygen.keyset;
    exports io.evkeygen.params;
    exports io.evkeygen.secret;
    exports io.evkeygen.spi;
    exports io.evkeygen.spi.remote; // the remote-store template and its two ports: what a store adapter extends
    exports io.evkeygen.aws;
    // the Google Cloud integration (io.evkeygen.gcp): google-cloud-storage and google-cloud-secretmanager.
    // No requires: those jars are not modules and split a package (com.google.cloud.secretmanager.v1 is
    // in two jars), which the module path refuses. They stay on the class path; the build compiles with
    // --add-reads io.evkeygen=ALL-UNNAMED, and a module-path application using this package adds the same.
    exports io.evkeygen.gcp;
    // the HashiCorp Vault integration (io.evkeygen.vault): the JDK's HTTP client, no library
    requires java.net.http;
    exports io.evkeygen.vault;
    exports io.evkeygen.server;
    // the enVector KMS (io.evkeygen.kms): its server and client, on the same optional gRPC libraries
    exports io.evkeygen.kms;
    exports io.evkeygen.kms.server;

    opens io.evkeygen.cli to info.picocli;                      // picocli fills @Option fields reflectively
}
