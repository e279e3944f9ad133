package dev.feint.tensor;

import java.util.Arrays;

/** An immutable list of dimension sizes; row-major, contiguous. */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long s = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            s *= d;
            if (s > Integer.MAX_VALUE) throw new IllegalArgumentException("shape too large: " + Arrays.toString(dims));
        }
        this.dims = dims;
        this.size = (int) s;
    }

    /**
     * A shape of these dimensions.
     *
     * @param dims the sizes (copied), none negative; none for a scalar
     * @return the shape
     * @throws IllegalArgumentException if a size is negative or the product exceeds an int
     */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** {@return the number of dimensions} */
    public int rank() { return dims.length; }

    /**
     * One dimension; a negative axis counts from the end (-1 is the last).
     *
     * @param i the axis
     * @return its size
     */
    public int dim(int i) { return dims[i < 0 ? dims.length + i : i]; }

    /** {@return the number of elements: the product of the dimensions} */
    public int size() { return size; }

    /** {@return the dimensions (a copy)} */
    public int[] dims() { return dims.clone(); }

    /** {@return the row-major strides, in elements} */
    public int[] strides() {
        int[] st = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        return st;
    }

    /**
     * Product of dims in [from, to).
     *
     * @param from the first axis
     * @param to one past the last axis
     * @return the product (1 for an empty range)
     */
    public int sizeBetween(int from, int to) {
        int s = 1;
        for (int i = from; i < to; i++) s *= dims[i];
        return s;
    }

    /**
     * An axis in [0, rank), a negative one counting from the end.
     *
     * @param axis the axis, in [-rank, rank)
     * @return the non-negative axis
     * @throws IllegalArgumentException if the axis is out of range
     */
    public int normAxis(int axis) {
        int a = axis < 0 ? dims.length + axis : axis;
        if (a < 0 || a >= dims.length) throw new IllegalArgumentException("axis " + axis + " out of range for shape " + this);
        return a;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override public int hashCode() { return Arrays.hashCode(dims); }

    @Override public String toString() { return Arrays.toString(dims); }
}
