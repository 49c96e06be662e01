package io.evkeygen.cli;

import picocli.CommandLine.Option;

/**
 * {@code --region_name}: one option for both the AWS key store and KMS sealing, which a command may
 * use together (picocli refuses an option declared twice).
 */
final class RegionOption {
    @Option(names = {"--region_name", "--region-name"}, paramLabel = "REGION",
            description = "AWS region for the aws key store and for KMS (default for KMS: the SDK's region chain).")
    String region;
}
