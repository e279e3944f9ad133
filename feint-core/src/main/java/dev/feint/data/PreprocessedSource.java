package dev.feint.data;

/** A source whose examples pass through a {@link Preprocessing} as they are read. */
record PreprocessedSource(ExampleSource inner, Preprocessing preprocessing) implements ExampleSource {
    PreprocessedSource {
        preprocessing.outputShape(inner.shape()); // fails now, not at the first batch, when a crop cannot fit
    }

    @Override public int size() { return inner.size(); }

    @Override public int[] shape() { return preprocessing.outputShape(inner.shape()); }

    @Override public void read(int[] indices, float[] out) {
        int[] in = inner.shape();
        int per = inner.exampleSize(), outPer = exampleSize();
        float[] buf = new float[per];
        for (int k = 0; k < indices.length; k++) {
            inner.read(new int[] {indices[k]}, buf);
            System.arraycopy(preprocessing.apply(buf, in[0], in[1], in[2]), 0, out, k * outPer, outPer);
        }
    }

    @Override public String origin() { return inner.origin(); }

    @Override public Preprocessing preprocessing() { return preprocessing; }

    @Override public SkippedFiles skipped() { return inner.skipped(); }
}
