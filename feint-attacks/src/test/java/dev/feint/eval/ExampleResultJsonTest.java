package dev.feint.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExampleResultJsonTest {
    @Test
    void anExampleAlreadyMisclassifiedIsMarkedSoAndNotASuccess() {
        // Label 3, the model said 5 before any attack; the attack "succeeded" with a zero perturbation.
        var wrong = new ExampleResult(0, 3, -1, true, 5, 5, true, 0.9f, 0, 0, 0, 0, 1, 0).toMap();
        assertEquals(true, wrong.get("misclassifiedBeforeAttack"));
        assertEquals(false, wrong.get("success"));
        var fooled = new ExampleResult(1, 3, -1, true, 3, 5, true, 0.9f, 0.1f, 1f, 10, 0.1f, 1, 1).toMap();
        assertEquals(false, fooled.get("misclassifiedBeforeAttack"));
        assertEquals(true, fooled.get("success"));
    }
}
