package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which argument values error lines hide (secrets: seed values, key material) and which they keep
 * (the user's own names), and that a secret inside another is not half-replaced.
 */
class RedactionTest {
    private static final String SEED = "00112233445566778899aabbccddeeff";
    private static final String TOKEN = "hvs.CAESIJx7Qm2vTq9Lr0aZ3b";

    @Test
    void longHexIsReplacedByItsLength() {
        Redaction r = new Redaction(new String[] {"--seed", SEED, "--dim", "1024"});
        assertEquals("bad seed <32 characters, not shown> for 1024", r.apply("bad seed " + SEED + " for 1024"));
    }

    @Test
    void theLongerOfTwoOverlappingSecretsIsHiddenWhole() {
        String longer = SEED + "0123456789";
        for (String[] args : new String[][] {{"--a", SEED, "--b", longer}, {"--b", longer, "--a", SEED}}) {
            Redaction r = new Redaction(args);
            assertEquals("x <42 characters, not shown> y <32 characters, not shown>", r.apply("x " + longer + " y " + SEED));
        }
    }

    @Test
    void flagsWithAValueAfterAnEqualsSignAreHiddenToo() {
        Redaction r = new Redaction(new String[] {"--seed=" + SEED});
        assertEquals("no <32 characters, not shown>", r.apply("no " + SEED));
        assertEquals("--seed=1", new Redaction(new String[] {"--seed=1"}).apply("--seed=1"));
    }

    @Test
    void aSeedOptionsValueIsHiddenWhateverItLooksLike() {
        String notHex = "this-is-not-hex-at-all";
        assertEquals("bad <22 characters, not shown>", new Redaction(new String[] {"--seed", notHex}).apply("bad " + notHex));
        assertEquals("bad <22 characters, not shown>", new Redaction(new String[] {"--tokenn", notHex}).apply("bad " + notHex));
    }

    @Test
    void strayTokensAndBase64AreHidden() {
        String b64 = "q83vEjRWeJq83vEjRWeJq83vEjRWeJ0=";
        Redaction r = new Redaction(new String[] {"--sed", b64, TOKEN});
        assertEquals("x <32 characters, not shown> y <26 characters, not shown>", r.apply("x " + b64 + " y " + TOKEN));
    }

    @Test
    void theUsersOwnNamesStay() {
        // issue 20 item 12: key ids, paths, buckets and hosts of 16+ characters were hidden
        String keyId = "customer-embeddings";
        String bucket = "acme-prod-evkeygen-keys";
        String host = "vault.internal.example.com";
        String missing = "/nonexistent-root/keys/long-directory-name";
        Redaction r = new Redaction(new String[] {"--key_id", keyId, "--bucket_name", bucket,
                "--vault_addr", "https://" + host + ":8200", "--key_path", missing, "--address", host + ":50051"});
        String line = missing + "/" + keyId + " is not empty; s3://" + bucket + "; cannot connect to " + host
                + ": unknown host";
        assertEquals(line, r.apply(line));
        // a key id that happens to be hex is still the user's key id
        Redaction hexId = new Redaction(new String[] {"--key_id", SEED});
        assertEquals(SEED, hexId.apply(SEED));
    }

    @Test
    void ordinaryLongWordsStay() {
        assertFalse(Redaction.looksLikeKeyMaterial("not-a-power-of-two"));
        assertFalse(Redaction.looksLikeKeyMaterial("SomeLongCamelCaseWord"));
        assertTrue(Redaction.looksLikeKeyMaterial("SomeLongCamelCaseWord2"));
        assertTrue(Redaction.looksLikeKeyMaterial(SEED));
        assertEquals("--dim not-a-power-of-two", new Redaction(new String[] {"--dim", "not-a-power-of-two"})
                .apply("--dim not-a-power-of-two"));
    }

    @Test
    void pathsAndAddressesStay() {
        String dir = System.getProperty("java.io.tmpdir") + "/a-long-directory-name";
        Redaction r = new Redaction(new String[] {"--key_path", dir, "--vault_addr", "http://127.0.0.1:8200"});
        assertEquals(dir + " http://127.0.0.1:8200", r.apply(dir + " http://127.0.0.1:8200"));
    }
}
