package dev.feint.io;

/**
 * The safetensors element types Feint reads. Floating types become float32 {@code Tensor}s;
 * integer types (and BOOL) become raw {@code long[]} values, e.g. BatchNorm's
 * {@code num_batches_tracked}. Feint writes only F32 and I64.
 */
enum SafetensorsDtype {
    F32(4, true), F16(2, true), BF16(2, true), F64(8, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    SafetensorsDtype(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int bytes() { return bytes; }

    /** True for types read into float tensors, false for types read into {@code long[]}. */
    public boolean floating() { return floating; }

    /** The dtype named {@code name} exactly as in a header, or null if Feint does not read it. */
    public static SafetensorsDtype parse(String name) {
        for (SafetensorsDtype d : values()) if (d.name().equals(name)) return d;
        return null;
    }
}
