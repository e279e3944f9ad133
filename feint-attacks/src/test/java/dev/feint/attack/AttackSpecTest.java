package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.io.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AttackSpec's text and JSON forms round-trip, and the registry builds what they say. */
class AttackSpecTest {
    @Test
    void textRoundTrip() {
        String text = "pgd:norm=linf,eps=0.1,steps=40,restarts=2";
        AttackSpec s = AttackSpec.parse(text);
        assertEquals("pgd", s.name());
        assertEquals(Norm.LINF, s.norm());
        assertEquals(0.1f, s.eps());
        assertEquals(Map.of("steps", 40L, "restarts", 2L), s.params());
        assertEquals(text, s.toString());
        assertEquals(s, AttackSpec.parse(s.toString()));
        assertEquals("fgsm", AttackSpec.parse("fgsm").toString());
        AttackSpec mixed = AttackSpec.of("simba").with("basis", "dct").with("frequencyRatio", 0.25f).with("seed", -3);
        assertEquals("simba:basis=dct,frequencyRatio=0.25,seed=-3", mixed.toString());
        assertEquals(mixed, AttackSpec.parse(mixed.toString()));
    }

    @Test
    void jsonRoundTrip() {
        AttackSpec s = AttackSpec.parse("square:norm=l2,eps=1.5,queries=5000,pInit=0.8");
        Object json = Json.parse(Json.write(s.toJson()));
        assertEquals(s, AttackSpec.fromJson(json));
        assertEquals("{\"name\":\"square\",\"norm\":\"l2\",\"eps\":1.5,\"params\":{\"queries\":5000,\"pInit\":0.8}}", Json.write(s.toJson()));
    }

    @Test
    void theRegistryBuildsWhatTheSpecSays() {
        Attack a = AttackRegistry.create("pgd:norm=l2,eps=0.5,steps=7,restarts=3,seed=9,loss=margin");
        assertEquals(Norm.L2, a.norm());
        assertEquals(0.5f, a.eps());
        assertEquals(7L, a.parameters().get("steps"));
        assertEquals(3L, a.parameters().get("restarts"));
        assertEquals(9L, a.parameters().get("seed"));
        assertEquals("margin", a.parameters().get("loss"));
        assertEquals(0.1f, AttackRegistry.create("pgd").eps(), "the default radius of the default norm");
        assertEquals(1.0f, AttackRegistry.create("fgm").eps());
    }

    @Test
    void malformedSpecsAreClearErrors() {
        assertEquals("attack spec 'pgd:steps': 'steps' is not of the form parameter=value",
                assertThrows(FeintException.class, () -> AttackSpec.parse("pgd:steps")).getMessage());
        assertEquals("attack spec 'pgd:eps=big': eps 'big' is not a number",
                assertThrows(FeintException.class, () -> AttackSpec.parse("pgd:eps=big")).getMessage());
        assertEquals("attack spec 'pgd': eps 'wide' is not a number",
                assertThrows(FeintException.class, () -> AttackSpec.of("pgd").with("eps", "wide")).getMessage());
        assertEquals(0.25f, AttackSpec.of("pgd").with("eps", "0.25").eps());
        assertEquals("unknown norm 'l3' (expected linf, l2, l1 or l0)",
                assertThrows(FeintException.class, () -> AttackSpec.parse("pgd:norm=l3")).getMessage());
        assertEquals("pgd: parameter loss = hinge, expected ce, margin or dlr",
                assertThrows(FeintException.class, () -> AttackRegistry.create("pgd:loss=hinge")).getMessage());
        assertEquals("pgd: parameter randomStart = maybe, expected true or false",
                assertThrows(FeintException.class, () -> AttackRegistry.create("pgd:randomStart=maybe")).getMessage());
        assertTrue(assertThrows(FeintException.class, () -> AttackSpec.fromJson(Map.of("norm", "l2"))).getMessage()
                .startsWith("attack spec JSON: expected an object with a \"name\""));
    }
}
