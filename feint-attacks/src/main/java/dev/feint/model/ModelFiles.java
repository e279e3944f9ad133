package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsReader;
import dev.feint.io.internal.IoMessages;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which model format a file is, from its first bytes (never its name): safetensors (an 8-byte
 * little-endian header length, then a JSON object; the {@code format} in its metadata tells a
 * fine-tuned ONNX model from Feint weights), ONNX (a protobuf {@code ModelProto}: its top-level
 * fields walked), TorchScript (a zip archive whose first entry lies in a
 * PyTorch archive's folder), and for the rest a description of what the bytes look like.
 */
final class ModelFiles {
    /** How much of a file is read to decide. */
    static final int HEAD = 64 << 10;

    private ModelFiles() {}

    /** The first {@link #HEAD} bytes of a regular file. */
    static byte[] head(Path file) {
        if (!Files.isRegularFile(file))                             // the formats are listed only for the message
            dev.feint.io.internal.InputFiles.requireRegular(file, "a model file: " + Models.supported());
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD);
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + IoMessages.reason(e) + ")", e);
        }
    }

    /** The known format the content is ({@code safetensors}, {@code onnx-safetensors}, {@code onnx}, {@code torchscript}), or null. */
    static String format(Path file, byte[] head, long size) {
        if (safetensors(head, size)) {
            try (SafetensorsReader r = Safetensors.open(file)) {
                return Models.ONNX_WEIGHTS_FORMAT.equals(r.metadata().get("format")) ? "onnx-safetensors" : "safetensors";
            }
        }
        if (pytorchArchive(head)) return "torchscript";
        if (onnx(head, size)) return "onnx";
        return null;
    }

    /** An 8-byte header length that fits the file, then '{'. */
    static boolean safetensors(byte[] h, long size) {
        if (h.length < 10) return false;
        long n = ByteBuffer.wrap(h, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n >= 2 && n <= size - 8 && h[8] == '{';
    }

    /** A zip archive whose first entry is in one folder with a PyTorch archive's names (data.pkl, data/, code/, version, ...). */
    static boolean pytorchArchive(byte[] h) {
        String first = firstZipEntry(h);
        if (first == null) return false;
        int slash = first.indexOf('/');
        if (slash <= 0) return false;
        String rest = first.substring(slash + 1);
        return rest.equals("data.pkl") || rest.startsWith("data/") || rest.startsWith("code/") || rest.equals("version")
                || rest.equals("constants.pkl") || rest.equals("byteorder") || rest.startsWith(".data/");
    }

    /** The name of the first local file header of a zip archive, or null when {@code h} does not start with one. */
    static String firstZipEntry(byte[] h) {
        if (h.length < 30 || h[0] != 'P' || h[1] != 'K' || h[2] != 3 || h[3] != 4) return null;
        int len = (h[26] & 0xff) | (h[27] & 0xff) << 8;
        if (len == 0 || 30 + len > h.length) return null;
        return new String(h, 30, len, StandardCharsets.UTF_8);
    }

    /**
     * A protobuf ModelProto: every top-level field in the head is one of ModelProto's with its
     * wire type, and the walk meets ir_version (1 to 99) or the graph.
     */
    static boolean onnx(byte[] h, long size) {
        int at = 0;
        boolean irOrGraph = false;
        while (at < h.length) {
            long[] tag = varint(h, at);
            if (tag == null) return irOrGraph;     // cut by the head's end
            at = (int) tag[1];
            int field = (int) (tag[0] >>> 3), wire = (int) (tag[0] & 7);
            Integer want = switch (field) {
                case 1, 5 -> 0;                     // ir_version, model_version
                case 2, 3, 4, 6, 7, 8, 14, 20, 25 -> 2;  // names, doc_string, graph, opset_import, metadata, training, functions
                default -> null;
            };
            if (want == null || wire != want) return false;
            long[] v = varint(h, at);
            if (v == null) return irOrGraph;
            at = (int) v[1];
            if (field == 1) irOrGraph = v[0] >= 1 && v[0] < 100;
            if (wire == 2) {
                // A graph, or a field after ir_version, that runs past the file's end is a truncated
                // ONNX file: the importer says so in its words.
                if (field == 7) return v[0] > 0;
                if (v[0] < 0 || at + v[0] >= h.length) return irOrGraph;
                at += (int) v[0];
            }
        }
        return irOrGraph && at == size;
    }

    /** {value, next offset}, or null when the varint runs past the head or past 10 bytes. */
    private static long[] varint(byte[] h, int at) {
        long v = 0;
        for (int shift = 0, i = at; i < h.length && shift < 70; i++, shift += 7) {
            v |= (long) (h[i] & 0x7f) << shift;
            if ((h[i] & 0x80) == 0) return new long[] {v, i + 1};
        }
        return null;
    }

    /** What a file of no known format looks like, for the message. */
    static String describe(byte[] h) {
        if (h.length == 0) return "an empty file";
        if (h.length >= 2 && (h[0] & 0xff) == 0x80 && h[1] >= 2 && h[1] <= 5)
            return "a Python pickle (torch.save's legacy format: a state_dict or a pickled module, not TorchScript)";
        String zip = firstZipEntry(h);
        if (zip != null) return "a zip archive whose first entry is '" + printable(zip) + "' (not a PyTorch archive)";
        if (h.length >= 6 && h[0] == (byte) 0x93 && new String(h, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) return "a NumPy array (.npy)";
        if (h.length >= 4 && (h[0] & 0xff) == 0x89 && h[1] == 'H' && h[2] == 'D' && h[3] == 'F') return "an HDF5 file (a Keras .h5 model?)";
        if (h.length >= 4 && (h[0] & 0xff) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G') return "a PNG image";
        if (text(h)) return "text starting '" + printable(new String(h, 0, Math.min(h.length, 40), StandardCharsets.UTF_8).strip()) + "'";
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, h.length); i++) hex.append(i == 0 ? "" : " ").append(String.format("%02x", h[i] & 0xff));
        return "binary data starting with bytes " + hex;
    }

    private static boolean text(byte[] h) {
        int n = Math.min(h.length, 512);
        for (int i = 0; i < n; i++) {
            int b = h[i] & 0xff;
            if (b < 0x09 || (b > 0x0d && b < 0x20) || b == 0x7f) return false;
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder o = new StringBuilder();
        for (int i = 0; i < s.length() && o.length() < 40; i++) {
            char c = s.charAt(i);
            o.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return o.toString();
    }
}
