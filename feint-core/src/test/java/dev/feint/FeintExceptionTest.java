package dev.feint;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Parameters named in a message: the library spells them by name, a reader (the CLI) as it likes, through any wrapping. */
class FeintExceptionTest {
    @Test
    void parametersAreSpeltByTheReader() {
        var e = new FeintException("f: holds NaN (expected finite weights; " + FeintException.parameter("allowNonfinite")
                + " loads it anyway, or " + FeintException.parameter("maxFlops") + ")");
        assertEquals("f: holds NaN (expected finite weights; allowNonfinite loads it anyway, or maxFlops)", e.getMessage());
        assertEquals("f: holds NaN (expected finite weights; <allowNonfinite> loads it anyway, or <maxFlops>)", e.message(p -> "<" + p + ">"));
        assertEquals("plain {braces} stay", new FeintException("plain {braces} stay").message(p -> "--" + p));
        assertEquals(null, new FeintException(null).message(p -> p));
    }

    @Test
    void aBadParameterNamesItselfAndOthers() {
        var e = new BadParameterException("journal", "d: holds another run's journal; add " + FeintException.parameter("resume") + " to continue it");
        assertEquals("journal d: holds another run's journal; add resume to continue it", e.getMessage());
        assertEquals("--journal d: holds another run's journal; add --resume to continue it", e.message(p -> "--" + p));
        assertEquals("journal", e.parameter());
        assertEquals("resume: no journal", new BadParameterException("resume", ": no journal").getMessage(), "a colon joins without a space");
    }

    @Test
    void wrappingKeepsTheParameters() {
        var inner = new BadParameterException("eps", "must be > 0");
        var outer = FeintException.within("--arch a.json: ", inner);
        assertEquals("--arch a.json: eps must be > 0", outer.getMessage());
        assertEquals("--arch a.json: --eps must be > 0", outer.message(p -> "--" + p));
        assertSame(inner, outer.getCause());
    }
}
