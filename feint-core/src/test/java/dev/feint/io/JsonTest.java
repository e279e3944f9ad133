package dev.feint.io;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class JsonTest {
    private static String message(String json) {
        return assertThrows(FeintException.class, () -> Json.parse(json, "cfg.json")).getMessage();
    }

    @Test void parsesTypesAndKeepsOrder() {
        Object v = Json.parse("{\"z\": 1, \"a\": [true, false, null, -2.5e1, 9223372036854775807, 9223372036854775808, 1.0], \"s\": \"x\"}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("z", "a", "s"), List.copyOf(m.keySet()));
        assertEquals(1L, m.get("z"));
        List<?> a = (List<?>) m.get("a");
        assertEquals(Arrays.asList(true, false, null, -25.0, Long.MAX_VALUE, 9.223372036854775808E18, 1.0), a);
        assertInstanceOf(Double.class, a.get(6), "1.0 stays a double");
    }

    @Test void roundTripsCompactAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "quote\" back\\ nl\n tab\t ctl\u0001 uni é 😀 sep\u2028");
        m.put("n", 42L);
        m.put("x", 0.1);
        m.put("big", 1.0E300);
        m.put("list", List.of(1L, List.of(), Map.of(), List.of("a", Map.of("k", false))));
        m.put("none", null);
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(m, Json.parse(Json.writePretty(m)));
        assertFalse(Json.write(m).contains("\n"));
        assertTrue(Json.write(m).contains("\\u0001") && Json.write(m).contains("\\u2028"));
    }

    @Test void prettyKeepsScalarArraysInline() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("shape", List.of(1, 28, 28));
        m.put("o", Map.of());
        m.put("l", List.of(List.of(1)));
        assertEquals("{\n  \"shape\": [1, 28, 28],\n  \"o\": {},\n  \"l\": [\n    [1]\n  ]\n}", Json.writePretty(m));
    }

    @Test void writesNonFiniteAsNullAndArrays() {
        assertEquals("[null,null,1.5,null]", Json.write(new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1.5, Double.NEGATIVE_INFINITY}));
        assertEquals("[0.1,3]", Json.write(new Object[] {0.1f, 3}));
        assertEquals("\"\\ud800x\"", Json.write("\ud800x"), "lone surrogate escaped");
    }

    @Test void syntaxErrorsNamePositionAndWhat() {
        assertEquals("cfg.json: invalid JSON at line 2, column 3 (offset 9): expected ',' or '}' but found 'x'",
                message("{\"a\":1\n  x}"));
        assertTrue(message("[1,]").contains("expected a value but found ']'"));
        assertTrue(message("{\"a\":1,}").contains("expected a string key"));
        assertTrue(message("[01]").contains("leading zero"));
        assertTrue(message("[1] 2").contains("expected end of input"));
        assertTrue(message("\"a\u0001\"").contains("unescaped control character U+0001"));
        assertTrue(message("\"\\x\"").contains("invalid escape \\x"));
        assertTrue(message("[NaN]").contains("expected a value but found 'N'"));
        assertTrue(message("{\"a\":1,\"a\":2}").contains("duplicate key \"a\""));
        assertTrue(message("{\"a\":").contains("input ended"));
        assertTrue(message("").contains("input ended"));
        assertTrue(message("[1.]").contains("after '.'"));
        assertTrue(message("[tru]").contains("expected a value"));
    }

    @Test void depthIsLimited() {
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertNotNull(Json.parse(ok));
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertTrue(message(deep).contains("nesting deeper than 64"), message(deep));
        // hostile: a million brackets must not overflow the stack
        assertTrue(message("[".repeat(1_000_000)).contains("nesting deeper"));
    }

    @Test void unicodeEscapesDecode() {
        assertEquals("é😀/", Json.parse("\"\\u00e9\\ud83d\\ude00\\/\""));
    }

    @Test void jsonObjectGivesTypedErrors() {
        JsonObject o = JsonObject.of(Json.parse("{\"n\":3,\"s\":\"x\",\"o\":{\"b\":true}}"), "model.json");
        assertEquals(3, o.integer("n"));
        assertEquals(3.0, o.number("n"));
        assertTrue(o.object("o").bool("b"));
        assertEquals("d", o.string("missing", "d"));
        assertEquals("model.json: key 's' is the string \"x\" (expected an integer)",
                assertThrows(FeintException.class, () -> o.integer("s")).getMessage());
        assertEquals("model.json.o: missing key 'q' (expected a string)",
                assertThrows(FeintException.class, () -> o.object("o").string("q")).getMessage());
        assertThrows(FeintException.class, () -> JsonObject.of(List.of(), "x"));
    }
}
