package dev.feint.nn;

import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.InvertedResidual;
import dev.feint.autograd.LinearAlgebra;
import dev.feint.autograd.PoolOptions;
import dev.feint.autograd.Pooling;
import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The graph ops that {@link Fusion} recognises (convolution, linear map, ReLU, max-pool, clip,
 * add) and the fused ops it makes of them. Other ops are plain {@link Graph.Op} lambdas.
 */
public final class GraphOps {
    private GraphOps() {}

    /**
     * conv2d(x, w, bias) with any strides, padding, dilations and groups; inputs x, w, optional bias.
     *
     * @param options strides, padding, dilations and groups
     */
    public record Conv(ConvOptions options) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {Convolutions.conv2d(in[0], in[1], in.length > 2 ? in[2] : null, options)};
        }
    }

    /** x W^T + b for x [n, in], W [out, in], optional b [out]. */
    public record Linear() implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {LinearAlgebra.linear(in[0], in[1], in.length > 2 ? in[2] : null)};
        }
    }

    /** max(0, x). */
    public record Relu() implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) { return new Tensor[] {Unary.relu(in[0])}; }
    }

    /**
     * clamp(x, lo, hi) with constant bounds (ReLU6 is 0, 6).
     *
     * @param lo the lower bound
     * @param hi the upper bound
     */
    public record Clip(float lo, float hi) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) { return new Tensor[] {Unary.clamp(in[0], lo, hi)}; }
    }

    /** a + b with broadcasting. */
    public record Add() implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) { return new Tensor[] {Elementwise.add(in[0], in[1])}; }
    }

    /**
     * Max-pooling.
     *
     * @param options the window
     */
    public record MaxPool(PoolOptions options) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {Pooling.maxPool2d(in[0], options)};
        }

        /** {@return the window when square windows tile the input (stride = window, no padding or dilation, floor mode), as the fused kernel needs; else 0} */
        public int tilingWindow() { return tilingWindow(options); }

        /**
         * The window when square windows of {@code o} tile the input (see {@link #tilingWindow()}).
         *
         * @param o the window
         * @return the window side, or 0
         */
        public static int tilingWindow(PoolOptions o) {
            boolean tiles = o.kernelH() == o.kernelW() && o.strideH() == o.kernelH() && o.strideW() == o.kernelW()
                    && o.padTop() == 0 && o.padLeft() == 0 && o.padBottom() == 0 && o.padRight() == 0
                    && o.dilationH() == 1 && o.dilationW() == 1 && !o.ceilMode();
            return tiles ? o.kernelH() : 0;
        }
    }

    /**
     * conv, ReLU and (pool &gt; 1) a tiling max-pool in one kernel; {@code fused} names the original nodes.
     *
     * @param conv the convolution
     * @param pool the max-pool window and stride, 1 for none
     * @param fused the names of the nodes this op replaces
     */
    public record ConvReluPool(Conv conv, int pool, List<String> fused) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {Convolutions.conv2dReluPool(in[0], in[1], in.length > 2 ? in[2] : null, conv.options(), pool)};
        }
    }

    /**
     * A convolution and a constant clip in one op (MobileNet's Conv + ReLU6); {@code fused} names the original nodes.
     *
     * @param conv the convolution
     * @param lo the clip's lower bound
     * @param hi the clip's upper bound
     * @param fused the names of the nodes this op replaces
     */
    public record ConvClip(Conv conv, float lo, float hi, List<String> fused) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {Convolutions.conv2dClip(in[0], in[1], in.length > 2 ? in[2] : null, conv.options(), lo, hi)};
        }
    }

    /**
     * An addition and a ReLU in one pass (ResNet's residual join); {@code fused} names the original nodes.
     *
     * @param fused the names of the nodes this op replaces
     */
    public record AddRelu(List<String> fused) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) { return new Tensor[] {Unary.addRelu(in[0], in[1])}; }
    }

    /**
     * A MobileNet-V2 inverted-residual block in one op: a 1x1 expansion with its clip (optional), a
     * 3x3 depthwise convolution with its clip, a 1x1 projection, and (optional) the Add of the
     * block's input. The node reads the block's input, then each convolution's weight and bias
     * inputs in order. Inference runs {@link InvertedResidual}'s fused kernel; a recorded call (a
     * gradient) or a geometry it does not take runs the ops one by one, as the unfused graph.
     *
     * @param expand the expansion and its clip, or null
     * @param depthwise the depthwise convolution and its clip
     * @param project the projection
     * @param residual -1 for no Add, else the Add input (0 or 1) that is the projection's output
     * @param inputs each convolution's input count (2, or 3 with a bias slot), the expansion's first when there is one
     * @param fused the names of the nodes this op replaces
     */
    public record InvertedResidualBlock(ConvClip expand, ConvClip depthwise, Conv project, int residual, List<Integer> inputs,
                                        List<String> fused) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            Tensor x = in[0];
            int k = 1, s = 0;
            Tensor[] e = null;
            if (expand != null) { e = convInputs(x, in, k, inputs.get(s++)); k += inputs.get(s - 1) - 1; }
            Tensor[] d = convInputs(x, in, k, inputs.get(s++));
            k += inputs.get(s - 1) - 1;
            Tensor[] p = convInputs(x, in, k, inputs.get(s));
            Tensor y = InvertedResidual.inference(x, e == null ? null : stage(e, expand.conv(), expand.lo(), expand.hi()),
                    stage(d, depthwise.conv(), depthwise.lo(), depthwise.hi()),
                    stage(p, project, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY), residual >= 0);
            if (y != null) return new Tensor[] {y};
            Tensor h = x;
            if (e != null) { e[0] = h; h = expand.apply(e, training)[0]; }
            d[0] = h;
            h = depthwise.apply(d, training)[0];
            p[0] = h;
            h = project.apply(p, training)[0];
            if (residual >= 0) h = new Add().apply(residual == 0 ? new Tensor[] {h, x} : new Tensor[] {x, h}, training)[0];
            return new Tensor[] {h};
        }

        /** One convolution's inputs: its data (x as a placeholder) and its count - 1 weight and bias inputs from in[k]. */
        private static Tensor[] convInputs(Tensor x, Tensor[] in, int k, int count) {
            Tensor[] t = Arrays.copyOfRange(in, k - 1, k - 1 + count);
            t[0] = x;
            return t;
        }

        private static InvertedResidual.Stage stage(Tensor[] t, Conv c, float lo, float hi) {
            return new InvertedResidual.Stage(t[1], t.length > 2 ? t[2] : null, c.options(), lo, hi);
        }
    }

    /**
     * A linear map and a ReLU in one kernel; {@code fused} names the original nodes.
     *
     * @param fused the names of the nodes this op replaces
     */
    public record LinearRelu(List<String> fused) implements Graph.Op {
        @Override public Tensor[] apply(Tensor[] in, boolean training) {
            return new Tensor[] {LinearAlgebra.linearRelu(in[0], in[1], in.length > 2 ? in[2] : null)};
        }
    }
}
