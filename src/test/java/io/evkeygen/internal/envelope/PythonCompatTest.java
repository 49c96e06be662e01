package io.evkeygen.internal.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evkeygen.keyset.KeyFileKind;
import io.evkeygen.keyset.Requester;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings were printed by CPython 3.11's json.dumps / repr. */
class PythonCompatTest {

    @Test
    void stringsEscapeLikeEnsureAscii() {
        assertEquals("\"test-key\"", CanonicalJson.quote("test-key"));
        assertEquals("\"k\\u00e9y-\\u00fc\"", CanonicalJson.quote("kéy-ü"));
        assertEquals("\"\\u952e\"", CanonicalJson.quote("键"));
        assertEquals("\"\\ud83d\\ude00x\"", CanonicalJson.quote("😀x"));
        assertEquals("\"a\\\"b\\\\c\"", CanonicalJson.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u0001\\u001f\\u007f\"",
                CanonicalJson.quote("\n\r\t\b\f\u0000\u0001\u001f\u007f"));
        assertEquals("\"/slash\"", CanonicalJson.quote("/slash"));
        assertEquals("\"\\u2028\"", CanonicalJson.quote("\u2028"));
        assertEquals("\"\\ud7ff\\ue000\\uffff\"", CanonicalJson.quote("\ud7ff\ue000\uffff"));
    }

    @Test
    void objectsAreCompactAndSortedByCodePoint() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("y", 2);
        inner.put("x", 24.0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", Arrays.asList(1.5, null, true));
        m.put("é", "x");
        m.put("Z", inner);
        assertEquals("{\"Z\":{\"x\":24.0,\"y\":2},\"a\":[1.5,null,true],\"b\":1,\"\\u00e9\":\"x\"}",
                CanonicalJson.toJson(m));

        // UTF-16 order would put the surrogate pair (U+1F600) before U+E000; Python's does not
        Map<String, Object> astral = new LinkedHashMap<>();
        astral.put("😀", 2);
        astral.put("\ue000", 1);
        assertEquals("{\"\\ue000\":1,\"\\ud83d\\ude00\":2}", CanonicalJson.toJson(astral));
    }

    @Test
    void floatsPrintAsPythonRepr() {
        String[][] cases = {
            {"24.0", "24.0"}, {"34.0", "34.0"}, {"0.0", "0.0"}, {"-0.0", "-0.0"},
            {"1e16", "1e+16"}, {"1e15", "1000000000000000.0"},
            {"123456789012345678.0", "1.2345678901234568e+17"},
            {"9999999999999998.0", "9999999999999998.0"},
            {"0.0001", "0.0001"}, {"1e-05", "1e-05"}, {"0.1", "0.1"},
            {"1.5e-07", "1.5e-07"}, {"5e-324", "5e-324"},
            {"1.7976931348623157e308", "1.7976931348623157e+308"},
            {"100.0", "100.0"}, {"1e22", "1e+22"}, {"1e23", "1e+23"}, {"-2.5", "-2.5"},
            {"123.456", "123.456"}, {"0.3", "0.3"}, {"9007199254740992.0", "9007199254740992.0"},
            {"4.35", "4.35"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], PythonFloat.repr(Double.parseDouble(c[0])), c[0]);
        }
        assertEquals("0.3333333333333333", PythonFloat.repr(1.0 / 3));
        assertEquals("0.6666666666666666", PythonFloat.repr(2.0 / 3));
        assertEquals("0.00030000000000000003", PythonFloat.repr(1e-4 * 3));
        assertEquals("[NaN,Infinity,-Infinity]", CanonicalJson.toJson(Arrays.asList(
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
    }

    @Test
    void integrityAndAadFollowTheSpecFormulas() {
        // values from ../shared/vectors/ip0-mm-1024/SecKey.json (kid test-key)
        assertEquals("1gRpIMWnTl2eZ+sT55lpNEKLDhM9fMTuOwsFZ6lExio=",
                EnvelopeFields.integrityValue("test-key", KeyFileKind.SECKEY));
        assertEquals("iqgfTgDRYlvZo+6bAPXX2GYc7JsT3NvpcN6EN5rGpOM=",
                EnvelopeFields.aadValue("2026-11-28T12:54:44Z", "2031-11-27T12:54:44Z", 1, "test-key",
                        EnvelopeFields.localProviderMeta(), EnvelopeFields.requesterObject(Requester.DEFAULT),
                        "vector_search"));
    }
}
