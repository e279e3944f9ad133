package dev.feint.data;

/**
 * Examples held in memory as unsigned bytes (a gzip IDX file or a compressed NPZ array, which
 * cannot be read at an offset): a quarter of the float size, expanded to levels per batch.
 */
record ByteStore(String origin, byte[] pixels, int[] shape, boolean channelsLast) implements ExampleSource {
    @Override public int size() { return pixels.length / (shape[0] * shape[1] * shape[2]); }

    @Override public int[] shape() { return shape.clone(); }

    @Override public void read(int[] indices, float[] out) {
        int per = exampleSize();
        for (int k = 0; k < indices.length; k++)
            Pixels.expand(pixels, indices[k] * per, channelsLast, shape[0], shape[1], shape[2], out, k * per);
    }
}
