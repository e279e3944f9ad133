package dev.feint.data;

import dev.feint.tensor.Tensor;

/** Examples held in memory as one float tensor [N,C,H,W]. */
record TensorSource(Tensor tensor, String origin) implements ExampleSource {
    static TensorSource of(Tensor images) {
        if (images.rank() != 4) throw new IllegalArgumentException("images must be [N,C,H,W], got " + images.shape());
        return new TensorSource(images, "memory");
    }

    @Override public int size() { return tensor.dim(0); }

    @Override public int[] shape() { return new int[] {tensor.dim(1), tensor.dim(2), tensor.dim(3)}; }

    @Override public void read(int[] indices, float[] out) {
        int per = exampleSize();
        float[] src = tensor.data();
        for (int k = 0; k < indices.length; k++) System.arraycopy(src, indices[k] * per, out, k * per, per);
    }
}
