package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.model.DifferentiableModel;
import dev.feint.onnx.Preprocessing;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * TorchScript models ({@code --model file.pt}) through feint-djl, found by name at run time: the CLI
 * jar does not bundle DJL and libtorch (120 MB), {@code ./feint} builds feint-djl on first use and
 * puts it on the classpath.
 */
final class TorchScriptModels {
    private TorchScriptModels() {}

    static LoadedModel load(Path file, OnnxOptions flags) {
        int[] shape = flags.inputShape(file);
        Preprocessing pre = flags.preprocessing();
        Object m = call("dev.feint.djl.TorchScriptModel", "load", new Class<?>[] {Path.class, int[].class, Preprocessing.class, List.class},
                file, shape, pre, flags.classNames());
        @SuppressWarnings("unchecked") List<String> names = (List<String>) call(m, "classNames");
        return new LoadedModel((DifferentiableModel) m, names, Map.of("format", "torchscript", "preprocessing", pre.toString(),
                "backend", "djl (libtorch)"), "djl (libtorch)");
    }

    static String describe(Path file) {
        return (String) call("dev.feint.djl.TorchScriptSummary", "of", new Class<?>[] {Path.class}, file);
    }

    private static Object call(String type, String method, Class<?>[] params, Object... args) {
        Class<?> c;
        try {
            c = Class.forName(type);
        } catch (ClassNotFoundException e) {
            throw new FeintException("--model " + args[0] + ": TorchScript models need feint-djl (DJL and libtorch), which this jar does not bundle; "
                    + "run through ./feint, which builds it on first use, or add feint-djl/target/feint-djl.jar and feint-djl/target/lib/* to the classpath");
        }
        try {
            return invoke(c.getMethod(method, params), null, args);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("feint-djl does not match this CLI: " + e.getMessage(), e);
        }
    }

    private static Object call(Object target, String method) {
        try {
            return invoke(target.getClass().getMethod(method), target);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("feint-djl does not match this CLI: " + e.getMessage(), e);
        }
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
