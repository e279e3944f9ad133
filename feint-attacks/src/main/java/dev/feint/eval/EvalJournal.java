package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.io.internal.InputFiles;
import dev.feint.io.internal.IoMessages;
import dev.feint.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-batch results of a long evaluation, appended to {@code DIR/journal.jsonl} (JSON lines,
 * each synced to disk) so that a run killed at any point, {@code kill -9} included, resumes from
 * its last complete batch. Resumed batches are read back bit for bit (floats as their raw bits,
 * the adversarial rows as base64 float32), and since every example's random stream derives
 * from its dataset index, the batches computed after the resume equal those of an uninterrupted
 * run: the final report is the same.
 *
 * <p>The first line records a fingerprint of the run (the command line, the model, the data);
 * resuming with another one is refused. A torn last line (the kill came mid-write) is dropped.
 * A composite attack's batch also records each stage's seconds (AutoAttack's APGD-CE, APGD-T,
 * FAB-T, Square), so the stage table of a resumed run counts the time of the batches it read back.
 */
public final class EvalJournal implements AutoCloseable {
    /** One batch read back: its examples, adversarial rows and the seconds of each stage of a composite attack, in order (else null). */
    record Batch(List<ExampleResult> examples, float[] adversarial, Map<String, Double> stageSeconds) {}

    private static final String FILE = "journal.jsonl";
    private static final long MAX_BYTES = 1L << 30;

    private final Path file;
    private final FileChannel out;
    private final Map<String, Batch> done = new HashMap<>();

    private EvalJournal(Path file, FileChannel out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens the journal in {@code dir} (created if missing). Without {@code resume} an existing
     * journal is an error (it would be silently mixed in); with it, the journal must exist and carry
     * {@code fingerprint}.
     *
     * @param dir the directory
     * @param fingerprint identifies the evaluation (model, data, attacks, seed)
     * @param resume whether to continue an existing journal
     * @return the journal
     * @throws dev.feint.FeintException when the journal exists without resume, is missing or another evaluation's with it, or cannot be written
     */
    public static EvalJournal open(Path dir, String fingerprint, boolean resume) {
        Path file = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            boolean exists = Files.exists(file);
            if (resume && !exists) throw new FeintException("--resume: no journal at " + file + " (expected one from an interrupted run)");
            if (!resume && exists)
                throw new FeintException("--journal " + dir + ": holds the journal of another run (" + file + "); add --resume to continue it "
                        + "or choose an empty folder");
            EvalJournal j = new EvalJournal(file, FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
            if (resume) j.load(fingerprint);
            else j.append(Map.of("fingerprint", fingerprint));
            return j;
        } catch (IOException e) {
            throw new FeintException("--journal " + dir + ": cannot use (" + IoMessages.reason(e) + ")", e);
        }
    }

    private void load(String fingerprint) throws IOException {
        String text = InputFiles.readText(file, MAX_BYTES, "an evaluation journal");
        long complete = text.lastIndexOf('\n') + 1; // a torn last line is dropped
        String[] lines = text.substring(0, (int) complete).split("\n");
        if (lines.length == 0 || lines[0].isEmpty()) throw new FeintException(file + ": empty journal (expected its fingerprint first)");
        Object head = Json.parse(lines[0], file + " line 1");
        if (!(head instanceof Map<?, ?> h) || !fingerprint.equals(h.get("fingerprint")))
            throw new FeintException("--resume: " + file + " was written by a different run (expected the same command line, model and "
                    + "data as the interrupted run)");
        for (int i = 1; i < lines.length; i++) {
            try {
                Map<?, ?> m = (Map<?, ?>) Json.parse(lines[i], file + " line " + (i + 1));
                List<ExampleResult> ex = new ArrayList<>();
                for (Object o : (List<?>) m.get("examples")) ex.add(ExampleRows.fromRow((List<?>) o));
                float[] adv = ExampleRows.floats((String) m.get("adversarial"));
                Map<String, Double> stages = null;
                if (m.get("stageSeconds") instanceof List<?> pairs) {      // [[stage, seconds], ...]: the order kept
                    stages = new LinkedHashMap<>();
                    for (Object o : pairs) stages.put((String) ((List<?>) o).get(0), ((Number) ((List<?>) o).get(1)).doubleValue());
                }
                done.put(key(num(m, "run"), num(m, "from"), num(m, "to")), new Batch(ex, adv, stages));
            } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | IllegalArgumentException e) {
                throw new FeintException(file + ": line " + (i + 1) + " is not a journal entry (expected one written by feint eval --journal)");
            }
        }
        out.truncate(complete);
        out.position(complete);
    }

    /** The batch [from, to) of run {@code run} if an earlier process finished it, else null. */
    Batch lookup(int run, int from, int to) { return done.get(key(run, from, to)); }

    /** Records a finished batch (synced before returning); {@code stageSeconds} null for a single attack. */
    void record(int run, int from, int to, List<ExampleResult> examples, float[] adversarial, int offset, int length,
                Map<String, Double> stageSeconds) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("run", (long) run);
        m.put("from", (long) from);
        m.put("to", (long) to);
        List<Object> ex = new ArrayList<>(examples.size());
        for (ExampleResult e : examples) ex.add(ExampleRows.toRow(e));
        m.put("examples", ex);
        m.put("adversarial", ExampleRows.floats(adversarial, offset, length));
        if (stageSeconds != null)
            m.put("stageSeconds", stageSeconds.entrySet().stream().map(e -> List.<Object>of(e.getKey(), e.getValue())).toList());
        try {
            append(m);
        } catch (IOException e) {
            throw new FeintException(file + ": cannot write (" + IoMessages.reason(e) + ")", e);
        }
    }

    private void append(Map<String, Object> line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) out.write(b);
        out.force(false);
    }

    private static int integer(Object o) { return (int) (long) (Long) o; }

    private static int num(Map<?, ?> m, String k) { return integer(m.get(k)); }

    private static String key(int run, int from, int to) { return run + ":" + from + ":" + to; }

    @Override public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // every line was forced to disk as it was written
        }
    }
}
