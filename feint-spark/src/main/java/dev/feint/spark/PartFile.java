package dev.feint.spark;

import dev.feint.FeintException;
import dev.feint.eval.ExampleResult;
import dev.feint.eval.ExampleRows;
import dev.feint.io.internal.InputFiles;
import dev.feint.io.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partition's results on disk ({@code part-NNNNN.jsonl}), read back bit for bit: a head line
 * ({@code format}, partition, range, runs), then one line per attack run with its per-example
 * rows (floats as raw bits, {@link ExampleRows}), seconds, stage seconds and, for an evaluation,
 * its adversarial rows (base64 float32; an attack job keeps them in its NPY shard instead).
 */
final class PartFile {
    static final String FORMAT = "feint-part/1";
    private static final long MAX_BYTES = 1L << 30;

    private PartFile() {}

    /** Writes part as JSON lines to out. */
    static void write(PartResult part, OutputStream out) throws IOException {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("format", FORMAT);
        head.put("partition", (long) part.slice().partition());
        head.put("from", (long) part.slice().from());
        head.put("to", (long) part.slice().to());
        head.put("runs", (long) part.runs().size());
        line(out, head);
        for (int r = 0; r < part.runs().size(); r++) {
            PartResult.Run run = part.runs().get(r);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", (long) r);
            m.put("targeted", run.targeted());
            m.put("seconds", run.seconds());
            if (run.stages() != null) m.put("stages", run.stages());
            List<Object> rows = new ArrayList<>(run.examples().size());
            for (ExampleResult e : run.examples()) rows.add(ExampleRows.toRow(e));
            m.put("examples", rows);
            if (run.adversarial() != null) m.put("adversarial", ExampleRows.floats(run.adversarial(), 0, run.adversarial().length));
            line(out, m);
        }
    }

    private static void line(OutputStream out, Object o) throws IOException {
        out.write((Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The results of slice in file, with {@code runs} runs of {@code rowSize} floats per
     * adversarial example (0: none expected); anything else is an error naming the file.
     */
    static PartResult read(Path file, Slice slice, int runs, int rowSize) {
        String[] lines = InputFiles.readText(file, MAX_BYTES, "a partition's results").split("\n");
        String bad = file + ": not the results of partition " + slice.partition() + " (examples " + slice.from() + ".." + slice.to()
                + ") with " + runs + " runs";
        try {
            Map<?, ?> head = (Map<?, ?>) Json.parse(lines[0], file + " line 1");
            if (!FORMAT.equals(head.get("format")) || !Long.valueOf(slice.from()).equals(head.get("from"))
                    || !Long.valueOf(slice.to()).equals(head.get("to")) || !Long.valueOf(runs).equals(head.get("runs")) || lines.length != runs + 1)
                throw new FeintException(bad);
            List<PartResult.Run> out = new ArrayList<>(runs);
            for (int r = 0; r < runs; r++) {
                Map<?, ?> m = (Map<?, ?>) Json.parse(lines[r + 1], file + " line " + (r + 2));
                List<ExampleResult> ex = new ArrayList<>();
                for (Object o : (List<?>) m.get("examples")) ex.add(ExampleRows.fromRow((List<?>) o));
                float[] adv = rowSize == 0 ? null : ExampleRows.floats((String) m.get("adversarial"));
                if (ex.size() != slice.size() || adv != null && adv.length != slice.size() * rowSize) throw new FeintException(bad);
                LinkedHashMap<String, Double> stages = null;
                if (m.get("stages") instanceof Map<?, ?> st) {
                    stages = new LinkedHashMap<>();
                    for (var e : st.entrySet()) stages.put((String) e.getKey(), ((Number) e.getValue()).doubleValue());
                }
                double secs = m.get("seconds") instanceof Number s ? s.doubleValue() : Double.NaN;
                out.add(new PartResult.Run((Boolean) m.get("targeted"), ex, adv, secs, stages));
            }
            return new PartResult(slice, out);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new FeintException(bad, e);
        }
    }
}
