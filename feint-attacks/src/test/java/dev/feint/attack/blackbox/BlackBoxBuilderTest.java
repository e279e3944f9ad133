package dev.feint.attack.blackbox;

import dev.feint.attack.AttackRegistry;
import dev.feint.attack.ParameterException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared setters: each attack keeps its own query default until one is set, and a spec's shared values are read in one order. */
class BlackBoxBuilderTest {
    @Test
    void eachAttackKeepsItsOwnQueryDefaultUntilOneIsSet() {
        assertEquals(10_000, SimBA.builder().build().queries());
        assertEquals(10_000, BoundaryAttack.builder().build().queries());
        assertEquals(10_000, HopSkipJump.builder().build().queries());
        assertEquals(1 + 10 * (3 + 1), OnePixelAttack.builder().population(10).generations(3).build().queries());
        assertEquals(500, OnePixelAttack.builder().queries(500).population(10).generations(3).build().queries());
        assertEquals(7, SimBA.builder().queries(7).seed(3).batch(2).build().queries());
        assertEquals(3, SimBA.builder().queries(7).seed(3).batch(2).build().seed());
    }

    @Test
    void aSpecsSharedValuesAreReadQueriesFirstAndMarginLast() {
        var e = assertThrows(ParameterException.class, () -> AttackRegistry.create("hsja:margin=x,seed=z,batch=y,queries=x"));
        assertTrue(e.getMessage().contains("parameter queries = x"), e.getMessage());
        e = assertThrows(ParameterException.class, () -> AttackRegistry.create("boundary:margin=x,seed=z"));
        assertTrue(e.getMessage().contains("parameter seed = z"), e.getMessage());
    }
}
