package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet", "madry-cnn", "maxout", "cnn-bn", "resnet-mini"})
    void everyPresetBuildsAndRoundTripsThroughJson(String name) {
        Architecture a = Presets.get(name, 1, 28, 28, 10);
        Sequential net = a.build(1);
        net.eval();
        Tensor out = net.forward(Tensor.zeros(2, 1, 28, 28));
        assertEquals(List.of(2, 10), List.of(out.dim(0), out.dim(1)));
        Architecture back = Architecture.fromMap(Json.parse(Json.write(a.toMap())), "test");
        assertEquals(net.parameterCount(), back.build(1).parameterCount());
    }

    @Test
    void madryCnnHasPyTorchNamesAndShapes() {
        Sequential net = Presets.get("madry-cnn", 1, 28, 28, 10).build(1);
        var p = net.namedParameters();
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"), List.copyOf(p.keySet()));
        assertEquals(List.of(64, 32, 5, 5), java.util.Arrays.stream(p.get("3.weight").dims()).boxed().toList());
        assertEquals(List.of(1024, 3136), java.util.Arrays.stream(p.get("7.weight").dims()).boxed().toList());
        assertEquals(3_274_634L, net.parameterCount());
    }

    @Test
    void sameSeedSameWeights() {
        var a = Presets.get("lenet", 1, 28, 28, 10);
        var w1 = a.build(7).namedParameters().get("0.weight").data();
        var w2 = a.build(7).namedParameters().get("0.weight").data();
        var w3 = a.build(8).namedParameters().get("0.weight").data();
        assertTrue(java.util.Arrays.equals(w1, w2));
        assertTrue(!java.util.Arrays.equals(w1, w3));
    }

    @Test
    void badSpecsGiveClearErrors() {
        var e = assertThrows(FeintException.class, () -> Presets.get("vgg", 1, 28, 28, 10));
        assertTrue(e.getMessage().contains("unknown architecture 'vgg'"), e.getMessage());
        Object spec = Json.parse("{\"name\":\"x\",\"input\":[1,28,28],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"in\":100,\"out\":10}]}");
        e = assertThrows(FeintException.class, () -> Architecture.fromMap(spec, "spec.json").build(1));
        assertEquals("architecture 'x' layer 1 (linear): expects 100 input features but gets 784", e.getMessage());
        Object huge = Json.parse("{\"name\":\"x\",\"input\":[1,28,28],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},{\"type\":\"linear\",\"in\":784,\"out\":1000000000}]}");
        e = assertThrows(FeintException.class, () -> Architecture.fromMap(huge, "spec.json").build(1));
        assertEquals("architecture 'x' layer 1 (linear): option 'out' = 1000000000 is outside [1, 1048576]", e.getMessage());
        Object unknown = Json.parse("{\"name\":\"x\",\"input\":[1,28,28],\"classes\":10,\"layers\":[{\"type\":\"attention\"}]}");
        e = assertThrows(FeintException.class, () -> Architecture.fromMap(unknown, "spec.json").build(1));
        assertTrue(e.getMessage().contains("unknown layer type 'attention'"), e.getMessage());
    }
}
