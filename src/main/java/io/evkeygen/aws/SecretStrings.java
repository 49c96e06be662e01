package io.evkeygen.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

/**
 * The Secrets Manager calls of the key store: CreateSecret, PutSecretValue, GetSecretValue, DescribeSecret,
 * DeleteSecret (always ForceDeleteWithoutRecovery: a secret pending deletion would block creating
 * the same name again, and a rolled-back upload must leave the name free) and ListSecrets.
 * Values are never logged or put into messages.
 */
final class SecretStrings {
    /** Secrets Manager's limit on a SecretString, in bytes. */
    static final int MAX_VALUE_BYTES = 65_536;

    private final SecretsManagerClient sm;

    SecretStrings(SecretsManagerClient sm) {
        this.sm = sm;
    }

    /** Creates a new secret; fails with ResourceExistsException when the name is taken. */
    void create(String name, String value) {
        sm.createSecret(r -> r.name(name).secretString(value)
                .description("enVector key set part (evkeygen)"));
    }

    /**
     * A new version of an existing secret, labelled AWSCURRENT in the same call (atomic for readers);
     * fails with ResourceNotFoundException when the secret is missing. The replaced version stays as
     * AWSPREVIOUS: Secrets Manager lets no caller delete one version.
     */
    void replace(String name, String value) {
        sm.putSecretValue(r -> r.secretId(name).secretString(value));
    }

    /** The current SecretString. */
    String get(String name) {
        return sm.getSecretValue(r -> r.secretId(name)).secretString();
    }

    /** Whether the secret exists and is not scheduled for deletion. */
    boolean exists(String name) {
        try {
            DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(name));
            return d.deletedDate() == null;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    /** Deletes the secret at once, without a recovery window; a missing secret is fine. */
    void delete(String name) {
        try {
            sm.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException e) {
            // already gone
        }
    }

    /** Names of live secrets starting with {@code prefix}. */
    List<String> names(String prefix) {
        List<String> names = new ArrayList<>();
        for (ListSecretsResponse page : sm.listSecretsPaginator(r -> r.filters(f -> f.key(FilterNameStringType.NAME)
                .values(prefix)))) {
            for (SecretListEntry e : page.secretList()) {
                if (e.name() != null && e.name().startsWith(prefix) && e.deletedDate() == null) {
                    names.add(e.name());
                }
            }
        }
        return names;
    }
}
