package io.evkeygen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Which argument values error lines hide, and that a secret inside another is not half-replaced. */
class RedactionTest {
    private static final String SEED = "00112233445566778899aabbccddeeff";

    @Test
    void longValuesAreReplacedByTheirLength() {
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
    void pathsAndAddressesStay() {
        String dir = System.getProperty("java.io.tmpdir") + "/a-long-directory-name";
        Redaction r = new Redaction(new String[] {"--key_path", dir, "--vault_addr", "http://127.0.0.1:8200"});
        assertEquals(dir + " http://127.0.0.1:8200", r.apply(dir + " http://127.0.0.1:8200"));
    }
}
