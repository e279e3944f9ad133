package dev.feint.io;

import dev.feint.FeintException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser behind {@link Json#parse}; one instance per document. */
final class JsonParser {
    private final String s;
    private final String source;
    private final int maxValues;
    private int pos;
    private int depth;
    private int values;

    JsonParser(String text, String source, int maxValues) {
        this.s = text;
        this.source = source;
        this.maxValues = maxValues;
    }

    Object parseDocument() {
        skipWhitespace();
        Object v = value();
        skipWhitespace();
        if (pos < s.length()) throw error("expected end of input but found " + describe(pos));
        return v;
    }

    private Object value() {
        if (pos >= s.length()) throw error("expected a value but the input ended");
        // Each value costs tens of bytes of heap for two or three bytes of text: a budget on their
        // number, not only on the text's length, bounds the memory a hostile document can take.
        if (++values > maxValues)
            throw error("more than " + maxValues + " values (expected at most " + maxValues + ")");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("expected a value but found " + describe(pos));
            }
        };
    }

    private Map<String, Object> object() {
        enter();
        pos++; // '{'
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            depth--;
            return Map.of(); // shared: "{}" costs no heap however many there are
        }
        LinkedHashMap<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key but found " + describe(pos));
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value();
            if (map.containsKey(key)) {
                pos = keyPos;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' but found " + describe(pos));
            }
        }
        depth--;
        return map;
    }

    private List<Object> array() {
        enter();
        pos++; // '['
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            depth--;
            return List.of();
        }
        ArrayList<Object> list = new ArrayList<>();
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') break;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' but found " + describe(pos));
            }
        }
        depth--;
        return list;
    }

    private void enter() {
        if (++depth > Json.MAX_DEPTH)
            throw error("nesting deeper than " + Json.MAX_DEPTH + " levels (expected at most " + Json.MAX_DEPTH + ")");
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int runStart = pos;
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(runStart, pos) : sb.append(s, runStart, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) throw error("unescaped control character U+" + hex4(c) + " in string");
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(s, runStart, pos);
            pos++;
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + e);
                }
            }
            runStart = pos;
        }
    }

    private char unicodeEscape() {
        if (pos + 4 > s.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) throw error("invalid hex digit in \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Number number() {
        int start = pos;
        boolean integral = true;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) throw error("leading zero in number");
        } else if (isDigit(peek())) {
            while (isDigit(peek())) pos++;
        } else {
            throw error("expected a digit but found " + describe(pos));
        }
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) throw error("expected a digit after '.' but found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') pos++;
            if (!isDigit(peek())) throw error("expected a digit in exponent but found " + describe(pos));
            while (isDigit(peek())) pos++;
        }
        String lit = s.substring(start, pos);
        if (integral && lit.length() <= 20) {
            try {
                return Long.parseLong(lit);
            } catch (NumberFormatException tooBig) {
                // falls through to double
            }
        }
        return Double.parseDouble(lit);
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("expected a value but found " + describe(pos));
        pos += word.length();
        return v;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "' but found " + describe(pos));
        pos++;
    }

    private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private String describe(int p) {
        if (p >= s.length()) return "end of input";
        char c = s.charAt(p);
        return c < 0x20 || c > 0x7e ? "U+" + hex4(c) : "'" + c + "'";
    }

    private static String hex4(char c) { return String.format("%04X", (int) c); }

    private FeintException error(String what) {
        int line = 1, col = 1;
        int end = Math.min(pos, s.length());
        for (int i = 0; i < end; i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new FeintException(source + ": invalid JSON at line " + line + ", column " + col + " (offset " + pos + "): " + what);
    }
}
