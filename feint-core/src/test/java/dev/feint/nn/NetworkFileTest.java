package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.io.Safetensors;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkFileTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsWeightsBuffersNormalisationAndOutputs() {
        Architecture a = Presets.get("cnn-bn", 1, 28, 28, 10);
        Network net = new Network(a, a.build(3), new float[] {0.3f}, new float[] {0.4f});
        net.train();
        net.forward(Tensor.uniform(new java.util.SplittableRandom(1), 0, 1, 4, 1, 28, 28)); // moves running stats
        net.eval();
        Tensor x = Tensor.uniform(new java.util.SplittableRandom(2), 0, 1, 2, 1, 28, 28);
        Tensor before = net.forward(x);
        Path f = dir.resolve("m.safetensors");
        NetworkFile.save(f, net, List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), Map.of("seed", "3"));
        NetworkFile.Loaded l = NetworkFile.load(f);
        assertArrayEquals(before.data(), l.network().forward(x).data());
        assertEquals("3", l.metadata().get("seed"));
        assertEquals("c", l.classNames().get(2));
        assertEquals(1L, Safetensors.read(f).intTensors().get("1.num_batches_tracked")[0]);
    }

    @Test
    void wrongShapesMissingAndExtraTensorsAreClearErrors() {
        Architecture a = Presets.get("mlp", 1, 28, 28, 10);
        Network net = Network.create(a, 1);
        Path f = dir.resolve("m.safetensors");
        NetworkFile.save(f, net, List.of(), Map.of());
        var content = Safetensors.read(f);
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>(content.tensors());
        t.put("1.weight", Tensor.zeros(3, 3));
        Safetensors.write(dir.resolve("bad.safetensors"), t, content.metadata());
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(dir.resolve("bad.safetensors")));
        assertTrue(e.getMessage().contains("tensor '1.weight' has shape [3, 3], expected [256, 784]"), e.getMessage());
        t = new LinkedHashMap<>(content.tensors());
        t.remove("5.bias");
        Safetensors.write(dir.resolve("missing.safetensors"), t, content.metadata());
        e = assertThrows(FeintException.class, () -> NetworkFile.load(dir.resolve("missing.safetensors")));
        assertTrue(e.getMessage().contains("missing tensor '5.bias'"), e.getMessage());
        t = new LinkedHashMap<>(content.tensors());
        t.put("9.weight", Tensor.zeros(1));
        Safetensors.write(dir.resolve("extra.safetensors"), t, content.metadata());
        e = assertThrows(FeintException.class, () -> NetworkFile.load(dir.resolve("extra.safetensors")));
        assertTrue(e.getMessage().contains("unexpected tensor '9.weight'"), e.getMessage());
        Safetensors.write(dir.resolve("nometa.safetensors"), content.tensors(), Map.of());
        e = assertThrows(FeintException.class, () -> NetworkFile.load(dir.resolve("nometa.safetensors")));
        assertTrue(e.getMessage().contains("no 'architecture'"), e.getMessage());
    }

    @Test
    void garbageFileIsAClearError() throws Exception {
        Path f = dir.resolve("junk.safetensors");
        Files.write(f, new byte[] {1, 2, 3});
        assertThrows(FeintException.class, () -> NetworkFile.load(f));
    }
}
