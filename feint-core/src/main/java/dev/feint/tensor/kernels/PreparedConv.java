package dev.feint.tensor.kernels;

/**
 * A convolution's weights prepared once (packed for the direct kernel, or transformed for
 * Winograd) for many calls while they do not change: an attack's thousands of steps on one
 * network. {@link #forward} prepares the forward pass, {@link #inputGradient} the input gradient
 * (the convolution with flipped weights, or a strided one's per-phase convolutions, where it runs as such; not for grouped convolutions). A prepared value fits any batch of
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
    /** A strided convolution's input gradient as per-phase convolutions (plan is null then). */
    final StridedInputGradient.Phases strided;
    /** The weights (unchanged while this is used) and whether this is the input gradient's. */
    private final float[] w;
    private final boolean inputGradient;
    /**
     * The plan on the other engine (direct or Winograd), made on first use for a batch that
     * chooses it ({@link ConvPlan#winograd} depends on the batch for small maps) or after
     * {@link Conv2dKernels#setWinograd}.
     */
    private volatile ConvPlan other;

    private PreparedConv(ConvGeometry g, ConvPlan plan, DepthwiseConv.Plan depthwise, StridedInputGradient.Phases strided,
                         float[] w, boolean inputGradient) {
        this.g = g;
        this.plan = kept(plan);
        this.depthwise = depthwise;
        this.strided = strided;
        this.w = w;
        this.inputGradient = inputGradient;
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
        if (g.groups() == 1) return new PreparedConv(g, ConvPlan.of(g, w, null), null, null, w, false);
        return DepthwiseConv.applies(g) ? new PreparedConv(g, null, new DepthwiseConv.Plan(g, w), null, w, false) : null;
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
        if (Conv2dKernels.asChannelsLastConv(g)) return new PreparedConv(g, Conv2dKernels.inputGradientPlan(g, w), null, null, w, true);
        return StridedInputGradient.applies(g) ? new PreparedConv(g, null, null, StridedInputGradient.plan(g, w), w, true) : null;
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

    /** The plan for call geometry {@code call} (which {@link #fits}): the prepared one, or the other engine's. */
    ConvPlan planFor(ConvGeometry call) {
        boolean winograd = inputGradient ? ConvPlan.winograd(Conv2dKernels.inputGradientGeometry(call)) : ConvPlan.winogradForward(call);
        if (winograd == plan instanceof WinogradConv) return plan;
        ConvPlan p = other;
        if (p == null || winograd != p instanceof WinogradConv)
            other = p = kept(inputGradient ? Conv2dKernels.inputGradientPlan(call, w) : ConvPlan.of(call, w, null));
        return p;
    }

    /** Marks a direct-kernel plan as kept across calls (it may then make its {@link LoneRow} form). */
    private static ConvPlan kept(ConvPlan p) {
        if (p instanceof ChannelsLastConv.Plan c) c.kept = true;
        return p;
    }

    /**
     * The plan of {@code prepared} for g (its bias set), or a fresh one when it does not fit, or
     * when it is null: then {@link ConvPlan#unprepared} unless this is {@code inference} (no
     * gradient recorded, so no training step).
     */
    static ConvPlan plan(PreparedConv prepared, ConvGeometry g, float[] w, float[] bias, boolean inference) {
        if (prepared == null || prepared.plan == null) return inference ? ConvPlan.of(g, w, bias) : ConvPlan.unprepared(g, w, bias);
        if (!prepared.fits(g)) return ConvPlan.of(g, w, bias);
        ConvPlan p = prepared.planFor(g);
        p.setBias(bias);
        return p;
    }
}
