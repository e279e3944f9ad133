package dev.feint.tensor;

import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaTest {
    @Test
    void outsideAScopeEveryArrayIsNew() {
        assertFalse(Arena.active());
        float[] a = Arena.floats(8), b = Arena.floats(8);
        assertNotSame(a, b);
        try (var arena = Arena.open()) {
            Arena.floats(8);
        }
        assertNotSame(a, Arena.floats(8), "a closed scope's arrays are not handed out outside a scope");
    }

    @Test
    void theNextScopeReusesTheArraysZeroed() {
        float[] first;
        int[] ints;
        try (var arena = Arena.open()) {
            first = Arena.floats(100);
            ints = Arena.ints(7);
            java.util.Arrays.fill(first, 3f);
            java.util.Arrays.fill(ints, 5);
        }
        try (var arena = Arena.open()) {
            float[] again = Arena.floats(100);
            assertSame(first, again, "reused");
            for (float v : again) assertEquals(0f, v);
            int[] i2 = Arena.ints(7);
            assertSame(ints, i2);
            for (int v : i2) assertEquals(0, v);
            assertNotSame(first, Arena.floats(100), "one array is handed out once per scope");
            assertEquals(50, Arena.floats(50).length, "another length is a new array");
        }
    }

    @Test
    void aLargeArrayIsZeroedInFullOverTheThreads() {
        int n = (1 << 20) + 37;                                  // several pieces and a partial last one
        Parallel.setThreads(2);
        float[] first;
        try (var arena = Arena.open()) {
            first = Arena.floats(n);
            java.util.Arrays.fill(first, 3f);
        }
        try (var arena = Arena.open()) {
            float[] again = Arena.floats(n);
            assertSame(first, again, "reused");
            for (int i = 0; i < n; i++) if (again[i] != 0f) throw new AssertionError("element " + i + " not zeroed: " + again[i]);
        }
    }

    @Test
    void anArrayToOverwriteIsReusedAsItIsOncePerScope() {
        float[] first;
        try (var arena = Arena.open()) {
            first = Arena.floatsToOverwrite(64);
            java.util.Arrays.fill(first, 3f);
        }
        try (var arena = Arena.open()) {
            float[] again = Arena.floatsToOverwrite(64);
            assertSame(first, again, "reused");
            assertEquals(3f, again[63], "not zeroed (its kernel writes it in full)");
            assertNotSame(first, Arena.floatsToOverwrite(64), "one array is handed out once per scope");
            assertNotSame(first, Arena.floats(64));
        }
        assertNotSame(first, Arena.floatsToOverwrite(64), "outside a scope every array is new");
        assertEquals(0f, Arena.floatsToOverwrite(5)[4]);
    }

    @Test
    void anArrayUnusedInOneScopeWaitsForTheNextThenIsDropped() {
        float[] big;
        try (var arena = Arena.open()) {
            big = Arena.floats(1000);
        }
        try (var arena = Arena.open()) {
            Arena.floats(10);                       // a scope of another size in between
        }
        try (var arena = Arena.open()) {
            assertSame(big, Arena.floats(1000), "kept for one scope");
        }
        try (var arena = Arena.open()) { Arena.floats(10); }
        try (var arena = Arena.open()) { Arena.floats(10); }
        try (var arena = Arena.open()) {
            assertNotSame(big, Arena.floats(1000), "dropped after two scopes without use");
        }
    }

    @Test
    void noArrayIsHandedOutTwiceInAScope() {
        for (int round = 0; round < 3; round++)
            try (var arena = Arena.open()) {
                Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (int i = 0; i < 20; i++) assertTrue(seen.add(Arena.floats(16 + i % 3)), "round " + round + ", array " + i);
            }
    }

    @Test
    void aNestedScopeGivesItsArraysBackToTheEnclosingOne() {
        float[] outerArray, inner, again, third;
        try (var outer = Arena.open()) {
            outerArray = Arena.floats(32);
            try (var nested = Arena.open()) {
                inner = Arena.floats(32);
                assertNotSame(outerArray, inner, "the enclosing scope's array is still in use");
                java.util.Arrays.fill(inner, 7f);
            }
            assertTrue(Arena.active(), "closing the nested scope leaves the outer one open");
            try (var nested = Arena.open()) {
                again = Arena.floats(32);
                assertSame(inner, again, "the next nested scope reuses the first one's array");
                assertEquals(0f, again[31], "zeroed");
                assertNotSame(outerArray, Arena.floats(32), "never the enclosing scope's own");
            }
            third = Arena.floats(32);
            assertSame(inner, third, "the enclosing scope takes it too once the nested ones are closed");
        }
        assertFalse(Arena.active());
        try (var next = Arena.open()) {
            Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < 3; i++) seen.add(Arena.floats(32));
            assertTrue(seen.contains(outerArray) && seen.contains(inner), "the next scope reuses the outer's and the nested ones' arrays");
        }
    }

    @Test
    void eachThreadHasItsOwnArrays() throws Exception {
        float[] mine;
        try (var arena = Arena.open()) {
            mine = Arena.floats(64);
        }
        float[] theirs = CompletableFuture.supplyAsync(() -> {
            try (var arena = Arena.open()) {
                try (var again = Arena.open()) {
                    return Arena.floats(64);
                }
            }
        }).get();
        assertNotSame(mine, theirs);
        try (var arena = Arena.open()) {
            assertSame(mine, Arena.floats(64), "this thread's pool is untouched by the other's");
        }
    }

    @Test
    void theGradientOfAnIntermediateComesFromTheScopeAndALeafsNever() {
        Tensor leaf = Tensor.zeros(4);
        Tensor mid = Tensor.zeros(4);
        mid.setNode(new dev.feint.autograd.Node(leaf) {
            @Override protected void backward(Tensor t, float[] g) { }
        });
        float[] g;
        try (var arena = Arena.open()) {
            g = mid.gradBuffer();
            leaf.gradBuffer();
        }
        float[] leafGrad = leaf.grad();
        try (var arena = Arena.open()) {
            float[] a = Arena.floats(4), b = Arena.floats(4);
            assertTrue(a == g || b == g, "the intermediate's gradient was given back");
            assertTrue(a != leafGrad && b != leafGrad, "a leaf's gradient never is");
        }
    }
}
