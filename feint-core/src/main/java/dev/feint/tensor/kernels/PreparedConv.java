package dev.feint.tensor.kernels;

/**
 * A convolution's weights prepared once (packed for the direct kernel, or transformed for
 * Winograd) for many calls while they do not change: an attack's thousands of steps on one
 * network. {@link #forward} prepares the forward pass, {@link #inputGradient} the input gradient
 * (the convolution with flipped weights, where it runs as one; not for grouped convolutions). A prepared value fits any batch of
 * the geometry it was made for ({@link #fits}); the bias is read at each call.
 *
 * <pre>{@code PreparedConv p = PreparedConv.forward(g, w);
 * Conv2dKernels.forward(g, x, w, bias, out, p);   // the same result as without p}</pre>
 */
public final class PreparedConv {
    final ConvGeometry g;
    final ConvPlan plan;
    /** A depthwise convolution's taps packed for {@link DepthwiseConv} (plan is null then). */
    final DepthwiseConv.Plan depthwise;

    private PreparedConv(ConvGeometry g, ConvPlan plan, DepthwiseConv.Plan depthwise) {
        this.g = g;
        this.plan = plan;
        this.depthwise = depthwise;
    }

    /**
     * The forward pass of g with weights w (o x c x kh x kw): for one group, or a depthwise
     * convolution on its channel-vector kernel (used by {@link ChannelsLastForward}); null for
     * other grouped convolutions (their kernels pack the weights of each call themselves).
     *
     * @param g the geometry
     * @param w the weights [o, c / groups, kh, kw]
     * @return the prepared weights, or null
     */
    public static PreparedConv forward(ConvGeometry g, float[] w) {
        Conv2dKernels.checkSizes(g, w, "weight", 0, w, w, "weight", 0);
        if (g.groups() == 1) return new PreparedConv(g, ConvPlan.of(g, w, null), null);
        return DepthwiseConv.applies(g) ? new PreparedConv(g, null, new DepthwiseConv.Plan(g, w)) : null;
    }

    /**
     * The input gradient of g with weights w, or null where it does not run as a convolution.
     *
     * @param g the geometry
     * @param w the weights [o, c / groups, kh, kw]
     * @return the prepared weights, or null
     */
    public static PreparedConv inputGradient(ConvGeometry g, float[] w) {
        Conv2dKernels.checkSizes(g, w, "weight", 0, w, w, "weight", 0);
        return Conv2dKernels.asChannelsLastConv(g) ? new PreparedConv(g, Conv2dKernels.inputGradientPlan(g, w), null) : null;
    }

    /**
     * Whether this was prepared for g up to the batch size.
     *
     * @param other the geometry of a call
     * @return true if {@code other} differs from the prepared geometry at most in its batch size
     */
    public boolean fits(ConvGeometry other) {
        return other.withBatch(g.n()).equals(g);
    }

    /** The plan of {@code prepared} for g (its bias set), or a fresh one when it is null or does not fit. */
    static ConvPlan plan(PreparedConv prepared, ConvGeometry g, float[] w, float[] bias) {
        if (prepared == null || prepared.plan == null || !prepared.fits(g)) return ConvPlan.of(g, w, bias);
        prepared.plan.setBias(bias);
        return prepared.plan;
    }
}
