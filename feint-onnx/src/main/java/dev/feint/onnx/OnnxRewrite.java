package dev.feint.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.feint.FeintException;
import dev.feint.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites an ONNX ModelProto's initializers and metadata and copies every other field as it is,
 * so the graph a user exported (its nodes, names, opsets, value infos) survives fine-tuning
 * byte for byte. Field numbers are those of onnx.proto: ModelProto graph 7, metadata_props 14;
 * GraphProto initializer 5; TensorProto dims 1, data_type 2, name 8, raw_data 9.
 */
final class OnnxRewrite {
    private static final int MODEL_GRAPH = 7, MODEL_METADATA = 14, GRAPH_INITIALIZER = 5;
    private static final int TENSOR_DIMS = 1, TENSOR_TYPE = 2, TENSOR_NAME = 8, TENSOR_RAW = 9;

    private OnnxRewrite() {}

    /**
     * The model with each initializer named in {@code initializers} replaced by its value as FLOAT
     * raw data (or removed where the value is null), the named values the file lacks appended,
     * and {@code metadata} set in metadata_props (entries with other keys kept).
     */
    static byte[] rewrite(byte[] model, Map<String, Tensor> initializers, Map<String, String> metadata, String what) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            ByteArrayOutputStream buf = new ByteArrayOutputStream(model.length + 4096);
            CodedOutputStream out = CodedOutputStream.newInstance(buf);
            boolean graph = false;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                boolean delimited = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
                if (field == MODEL_GRAPH && delimited) {
                    if (graph) throw new FeintException(what + ": the model holds two graphs");
                    out.writeByteArray(MODEL_GRAPH, graph(in.readByteArray(), initializers));
                    graph = true;
                } else if (field == MODEL_METADATA && delimited) {
                    byte[] entry = in.readByteArray();
                    if (!metadata.containsKey(string(entry, 1))) out.writeByteArray(MODEL_METADATA, entry);
                } else in.skipField(tag, out);
            }
            if (!graph) throw new FeintException(what + ": the model has no graph");
            for (var e : metadata.entrySet()) {
                ByteArrayOutputStream eb = new ByteArrayOutputStream();
                CodedOutputStream eo = CodedOutputStream.newInstance(eb);
                eo.writeString(1, e.getKey());
                eo.writeString(2, e.getValue());
                eo.flush();
                out.writeByteArray(MODEL_METADATA, eb.toByteArray());
            }
            out.flush();
            return buf.toByteArray();
        } catch (IOException e) {
            throw new FeintException(what + ": not a readable ONNX model (" + e.getMessage() + ")");
        }
    }

    private static byte[] graph(byte[] graph, Map<String, Tensor> initializers) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(graph);
        ByteArrayOutputStream buf = new ByteArrayOutputStream(graph.length + 1024);
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        Set<String> seen = new HashSet<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) != GRAPH_INITIALIZER || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                in.skipField(tag, out);
                continue;
            }
            byte[] t = in.readByteArray();
            String name = string(t, TENSOR_NAME);
            if (!initializers.containsKey(name)) {
                out.writeByteArray(GRAPH_INITIALIZER, t);
                continue;
            }
            seen.add(name);
            Tensor v = initializers.get(name);
            if (v != null) out.writeByteArray(GRAPH_INITIALIZER, tensor(name, v));
        }
        for (var e : initializers.entrySet())
            if (e.getValue() != null && !seen.contains(e.getKey())) out.writeByteArray(GRAPH_INITIALIZER, tensor(e.getKey(), e.getValue()));
        out.flush();
        return buf.toByteArray();
    }

    /** A FLOAT TensorProto with raw little-endian data. */
    static byte[] tensor(String name, Tensor v) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(v.size() * 4 + name.length() + 32);
        CodedOutputStream out = CodedOutputStream.newInstance(buf);
        for (int d : v.dims()) out.writeInt64(TENSOR_DIMS, d);
        out.writeInt32(TENSOR_TYPE, DataType.FLOAT);
        out.writeString(TENSOR_NAME, name);
        ByteBuffer raw = ByteBuffer.allocate(v.size() * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(v.data(), 0, v.size());
        out.writeByteArray(TENSOR_RAW, raw.array());
        out.flush();
        return buf.toByteArray();
    }

    /** The string field {@code field} of a message ("" when absent). */
    private static String string(byte[] message, int field) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        String found = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == field && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED)
                found = in.readStringRequireUtf8();
            else in.skipField(tag);
        }
        return found;
    }
}
