package dev.feint.tensor.kernels;

/**
 * The order of one {@link ChannelsLastConv} call's pixel rows in micro-kernel slivers of {@code mr}
 * rows: where each row's receptive field starts in the padded input, which z row a sliver's first
 * row goes to (its rows {@link #zStep} z rows apart), and per sliver the runs and taps that can
 * read real input (the rest read only zero padding and are skipped).
 *
 * <p>Image-major (a row per pixel, image by image) is the natural order. Pixel-major takes the
 * same pixel of {@code mr} images in a sliver: on a small padded map the pixels of one image need
 * different taps (a corner of a 2x2 map reads 4 of a 3x3 kernel's 9), and an image-major sliver
 * computes the union of its pixels' taps, the padding included; a pixel-major sliver only its one
 * pixel's (2.25x fewer multiply-adds on a ResNet's 2x2 layers). The sums keep their order (taps
 * skipped are products with zero), so the bits are the same in either order.
 */
final class SliverOrder {
    final int slivers;
    /** z rows between a sliver's consecutive rows: 1 image-major, the image's pixels pixel-major. */
    final int zStep;
    /** Input offset of each row's receptive field, from the call's first padded image. */
    final int[] base;
    /** Per sliver: its first row's z row; runs [runLo, runHi) and taps in a run [tapLo, tapHi) that can read real input. */
    final int[] zRow, runLo, runHi, tapLo, tapHi;

    /**
     * The order of {@code images * outH * outW} rows; pixel-major needs images a multiple of mr.
     *
     * @param rowRuns whether a kernel row is one run (unit column dilation)
     */
    SliverOrder(ConvGeometry g, int mr, int images, boolean pixelMajor, int imageSize, int wp, boolean rowRuns) {
        int pixels = g.outH() * g.outW(), rows = images * pixels, kh = g.kh(), kw = g.kw(), c = g.c();
        if (pixelMajor && images % mr != 0) throw new IllegalArgumentException("pixel-major order needs images (" + images + ") a multiple of " + mr);
        slivers = (rows + mr - 1) / mr;
        zStep = pixelMajor ? pixels : 1;
        base = new int[slivers * mr];
        for (int p = 0; p < base.length; p++) {
            int row = Math.min(p, rows - 1);   // rows past the last pixel repeat it
            int q = pixel(row, pixelMajor, images, pixels), img = image(row, pixelMajor, images, pixels);
            base[p] = img * imageSize + ((q / g.outW()) * g.strideH() * wp + (q % g.outW()) * g.strideW()) * c;
        }
        zRow = new int[slivers];
        runLo = new int[slivers];
        runHi = new int[slivers];
        tapLo = new int[slivers];
        tapHi = new int[slivers];
        for (int s = 0; s < slivers; s++) {
            int first = s * mr;
            zRow[s] = image(first, pixelMajor, images, pixels) * pixels + pixel(first, pixelMajor, images, pixels);
            int yLo = kh, yHi = 0, xLo = kw, xHi = 0;
            for (int p = first; p < Math.min(rows, first + mr); p++) {
                int q = pixel(p, pixelMajor, images, pixels), oy = q / g.outW(), ox = q % g.outW();
                for (int ky = 0; ky < kh; ky++) {
                    int y = oy * g.strideH() + ky * g.dilH() - g.padTop();
                    if (y >= 0 && y < g.h()) { yLo = Math.min(yLo, ky); yHi = Math.max(yHi, ky + 1); }
                }
                for (int kx = 0; kx < kw; kx++) {
                    int x = ox * g.strideW() + kx * g.dilW() - g.padLeft();
                    if (x >= 0 && x < g.w()) { xLo = Math.min(xLo, kx); xHi = Math.max(xHi, kx + 1); }
                }
            }
            if (yLo >= yHi || xLo >= xHi) { yLo = 0; yHi = 1; xLo = 0; xHi = 1; }   // all padding: one run of zeros
            runLo[s] = rowRuns ? yLo : yLo * kw;
            runHi[s] = rowRuns ? yHi : yHi * kw;
            tapLo[s] = rowRuns ? xLo * c : 0;
            tapHi[s] = rowRuns ? xHi * c : c;
        }
    }

    private static int pixel(int row, boolean pixelMajor, int images, int pixels) { return pixelMajor ? row / images : row % pixels; }

    private static int image(int row, boolean pixelMajor, int images, int pixels) { return pixelMajor ? row % images : row / pixels; }
}
