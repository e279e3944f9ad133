package dev.feint.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.feint.FeintException;

/**
 * The ONNX reader under Jazzer, as {@code dev.feint.fuzz.ParsersFuzzTest} does for the other
 * formats: any byte string is either imported (protobuf wire format, graph checks, conversion,
 * fusion) or refused with {@link FeintException}; any other exception, running out of the fork's
 * heap or a per-input timeout is a finding. A normal build replays the seeds in
 * src/test/resources/dev/feint/onnx/OnnxFuzzTestInputs/onnx; {@code scripts/fuzz.sh onnx SECONDS} fuzzes.
 */
class OnnxFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void onnx(byte[] data) {
        try {
            OnnxImport.fromBytes(data, "fuzz.onnx");
        } catch (FeintException expected) {
            // a clear user error is the right answer for a bad file
        }
    }
}
