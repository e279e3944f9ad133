package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.FusedInvertedResidual;

/**
 * A MobileNet-V2 inverted-residual block's inference forward in one kernel ({@link
 * FusedInvertedResidual}): clamp(conv 1x1) -> clamp(depthwise 3x3) -> conv 1x1 (+ the block's
 * input), where nothing is recorded and the input is channels-last. Anything else (a recorded
 * call, other geometries, an NCHW input) is the caller's to run layer by layer: {@link #inference}
 * then returns null.
 *
 * <pre>{@code Tensor y = InvertedResidual.inference(x, expand, depthwise, project, true);
 * if (y == null) y = ...the three convolutions and the Add...;}</pre>
 */
public final class InvertedResidual {
    /** Kinds of the weights' packed parts ({@link Tensor#derived}). */
    private static final Object POINTWISE = new Object(), DEPTHWISE = new Object();

    private InvertedResidual() {}

    /**
     * One convolution of the block: its weights, bias (nullable), options and clamp (-inf, +inf for none).
     *
     * @param w the weights
     * @param bias the bias, or null
     * @param options strides, padding, dilations and groups
     * @param lo the clamp's lower bound
     * @param hi the clamp's upper bound
     */
    public record Stage(Tensor w, Tensor bias, ConvOptions options, float lo, float hi) {}

    /**
     * The block's output as a channels-last tensor, or null where the fused kernel does not run it.
     *
     * @param x the block's input [n, c, h, w]
     * @param expand the 1x1 expansion, or null for none
     * @param depthwise the 3x3 depthwise convolution
     * @param project the 1x1 projection (its clamp is ignored: the block's has none)
     * @param residual whether x is added to the projection
     * @return the output, or null
     */
    public static Tensor inference(Tensor x, Stage expand, Stage depthwise, Stage project, boolean residual) {
        float[] xl = x.channelsLastData();
        if (xl == null || x.rank() != 4 || recording(x, expand) || recording(x, depthwise) || recording(x, project)) return null;
        int n = x.dim(0);
        ConvGeometry ge = expand == null ? null : geometry(x.dim(1), x.dim(2), x.dim(3), expand);
        if (expand != null && ge == null) return null;
        ConvGeometry gd = ge == null ? geometry(x.dim(1), x.dim(2), x.dim(3), depthwise) : geometry(ge.o(), ge.outH(), ge.outW(), depthwise);
        ConvGeometry gp = gd == null ? null : geometry(gd.o(), gd.outH(), gd.outW(), project);
        if (gp == null || !FusedInvertedResidual.applies(ge, gd, gp, residual)) return null;
        int images = FusedInvertedResidual.imagesPerCall(gd);
        FusedInvertedResidual.Plan plan = new FusedInvertedResidual.Plan(ge == null ? null : part(expand.w(), ge, false, images),
                part(depthwise.w(), gd, true, 0), part(project.w(), gp, false, images));
        float[] out = Arena.floatsToOverwrite(n * gp.o() * gp.outH() * gp.outW());   // the kernel writes every element
        FusedInvertedResidual.forward(plan, n, xl, expand == null ? null : data(expand.bias()), expand == null ? 0f : expand.lo(),
                expand == null ? 0f : expand.hi(), data(depthwise.bias()), depthwise.lo(), depthwise.hi(), data(project.bias()), residual, out);
        return Tensor.channelsLast(Shape.of(n, gp.o(), gp.outH(), gp.outW()), out);
    }

    private static boolean recording(Tensor x, Stage s) {
        return s != null && Grad.recording(x, s.w(), s.bias());
    }

    /** The geometry of one image of stage s on a c x h x w input, or null where the shapes do not fit a convolution (the layer path then says why). */
    private static ConvGeometry geometry(int c, int h, int w, Stage s) {
        Tensor wt = s.w();
        ConvOptions p = s.options();
        int groups = p.groups();
        if (wt.rank() != 4 || (long) wt.dim(1) * groups != c || wt.dim(0) % groups != 0) return null;
        if (s.bias() != null && (s.bias().rank() != 1 || s.bias().dim(0) != wt.dim(0))) return null;
        if (!(s.lo() <= s.hi())) return null;
        try {
            return new ConvGeometry(1, c, h, w, wt.dim(0), wt.dim(2), wt.dim(3), p.strideH(), p.strideW(),
                    p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), p.dilationH(), p.dilationW(), groups);
        } catch (IllegalArgumentException e) {
            return null;   // the layer path reports it, with the batch's shapes
        }
    }

    /** w packed for g (a depthwise part, or a 1x1's for that many images per call): once per {@code FrozenWeights} scope, or afresh outside one or for another geometry. */
    private static FusedInvertedResidual.Part part(Tensor w, ConvGeometry g, boolean depthwise, int images) {
        FusedInvertedResidual.Part p = w.derived(depthwise ? DEPTHWISE : POINTWISE, (t, stale) -> make(t, g, depthwise, images));
        return p != null && p.fits(g, images) ? p : make(w, g, depthwise, images);
    }

    private static FusedInvertedResidual.Part make(Tensor w, ConvGeometry g, boolean depthwise, int images) {
        return depthwise ? FusedInvertedResidual.Part.depthwise(g, w.data()) : FusedInvertedResidual.Part.pointwise(g, w.data(), images);
    }

    private static float[] data(Tensor t) { return t == null ? null : t.data(); }
}
