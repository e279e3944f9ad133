package dev.feint.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The child side of {@link PeerProcess}: a JVM that holds one peer (ONNX Runtime or PyTorch, the
 * in-process {@link Peers} inside it) and runs and times its calls on request. One command a line
 * on standard input, one answer a line on standard output: {@code ok [values]} or {@code error
 * MESSAGE}. It exits when standard input ends, so it cannot outlive a bench JVM that was killed.
 *
 * <p>Commands (ids name the objects the parent opened; {@code X} is an input {@code seed d0 d1 ...},
 * see {@link Peers.Input}; floats travel as the hex of their bits, so the agreement checks see
 * exactly the peer's values):
 * <pre>
 * ort-version                          ok VERSION
 * ort ID THREADS PATH...               ok               (a session on the file)
 * torch ID THREADS                     ok THREADS VERSION...
 * torch-version THREADS                ok VERSION...
 * script ID THREADS CLASSES PATH...    ok               (a TorchScript file)
 * sgrad ID LABELS X                    ok HEX...        (LABELS: comma-separated class indices)
 * sgradient TID ID LABELS X            ok
 * logits ID X                          ok HEX...
 * grad ID LABELSEED X | sgd ID LABELSEED X             ok HEX...
 * forward TID ID X | pgd TID ID LABELSEED EPS ALPHA X | train TID ID LABELSEED LR X     ok
 * warm TID CALLS NANOS                 ok
 * round TID CALLS NANOS                ok CALLS NANOS
 * steady TID CALLS WARMNANOS NANOS     ok FIRSTNANOS CALLS NANOS
 * gc                                   ok
 * close ID                             ok
 * </pre>
 */
public final class PeerServer {
    /** The child's first line, once it reads commands. */
    static final String READY = "feint-peer-ready";

    private final Peers local = Peers.inProcess();
    private final Map<String, AutoCloseable> objects = new HashMap<>();

    private PeerServer() {}

    /**
     * Serves commands until standard input ends.
     *
     * @param args none
     * @throws Exception if standard input cannot be read
     */
    public static void main(String[] args) throws Exception {
        // Standard output is the protocol's: anything else printed in Java goes to standard error.
        PrintStream proto = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PeerServer s = new PeerServer();
        proto.println(READY);
        proto.flush();
        for (String line; (line = in.readLine()) != null; ) {
            String answer;
            try {
                String r = s.serve(line.trim().split(" "), line);
                answer = r.isEmpty() ? "ok" : "ok " + r;
            } catch (Throwable e) {
                answer = "error " + String.valueOf(e).replace('\n', ' ');
            }
            proto.println(answer);
            proto.flush();
        }
        // The peers' native pools are not daemon threads: without the exit the child would stay.
        System.exit(0);
    }

    private String serve(String[] a, String line) throws Exception {
        return switch (a[0]) {
            case "ort-version" -> OrtPeer.version();
            case "ort" -> {
                String path = line.trim().split(" ", 4)[3];
                put(a[1], local.ort(Path.of(path), Integer.parseInt(a[2])));
                yield "";
            }
            case "torch" -> {
                Peers.Torch t = local.torch(Integer.parseInt(a[2]));
                put(a[1], t);
                yield t.threads() + " " + t.version();
            }
            case "torch-version" -> local.torchVersion(Integer.parseInt(a[1]));
            case "script" -> {
                String path = line.trim().split(" ", 5)[4];
                put(a[1], local.script(Path.of(path), Integer.parseInt(a[2]), Integer.parseInt(a[3])));
                yield "";
            }
            case "sgrad" -> hex(((Peers.Script) get(a[1])).inputGradient(input(a, 3), labels(a[2])));
            case "sgradient" -> {
                put(a[1], ((Peers.Script) get(a[2])).gradient(input(a, 4), labels(a[3])));
                yield "";
            }
            case "logits" -> {
                AutoCloseable o = get(a[1]);
                Peers.Input x = input(a, 2);
                yield hex(switch (o) {
                    case Peers.Ort ort -> ort.logits(x);
                    case Peers.Torch torch -> torch.logits(x);
                    case Peers.Script script -> script.logits(x);
                    default -> throw new IllegalArgumentException(a[1] + " has no logits");
                });
            }
            case "grad" -> hex(torch(a[1]).inputGradient(input(a, 3), Long.parseLong(a[2])));
            case "sgd" -> hex(torch(a[1]).sgdStepConv1(input(a, 3), Long.parseLong(a[2])));
            case "forward" -> {
                AutoCloseable o = get(a[2]);
                Peers.Input x = input(a, 3);
                put(a[1], o instanceof Peers.Ort ort ? ort.forward(x) : ((Peers.Torch) o).forward(x));
                yield "";
            }
            case "pgd" -> {
                put(a[1], torch(a[2]).pgd(input(a, 6), Long.parseLong(a[3]), Float.parseFloat(a[4]), Float.parseFloat(a[5])));
                yield "";
            }
            case "train" -> {
                put(a[1], torch(a[2]).train(input(a, 5), Long.parseLong(a[3]), Float.parseFloat(a[4])));
                yield "";
            }
            case "warm" -> {
                timed(a[1]).warm(Integer.parseInt(a[2]), Long.parseLong(a[3]));
                yield "";
            }
            case "round" -> {
                long[] r = timed(a[1]).round(Integer.parseInt(a[2]), Long.parseLong(a[3]));
                yield r[0] + " " + r[1];
            }
            case "steady" -> {
                long[] r = timed(a[1]).steady(Integer.parseInt(a[2]), Long.parseLong(a[3]), Long.parseLong(a[4]));
                yield r[0] + " " + r[1] + " " + r[2];
            }
            case "gc" -> {
                System.gc();
                yield "";
            }
            case "close" -> {
                AutoCloseable o = objects.remove(a[1]);
                if (o != null) o.close();
                yield "";
            }
            default -> throw new IllegalArgumentException("unknown command: " + line);
        };
    }

    private void put(String id, AutoCloseable o) throws Exception {
        AutoCloseable old = objects.put(id, o);
        if (old != null) old.close();
    }

    private AutoCloseable get(String id) {
        AutoCloseable o = objects.get(id);
        if (o == null) throw new IllegalArgumentException("no object " + id);
        return o;
    }

    private Peers.Torch torch(String id) { return (Peers.Torch) get(id); }

    private MeasureRounds.Engine timed(String id) { return (MeasureRounds.Engine) get(id); }

    private static Peers.Input input(String[] a, int from) {
        long[] dims = new long[a.length - from - 1];
        for (int i = 0; i < dims.length; i++) dims[i] = Long.parseLong(a[from + 1 + i]);
        return new Peers.Input(Long.parseLong(a[from]), dims);
    }

    private static int[] labels(String s) { return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray(); }

    /** Labels as the commands spell them: comma-separated. */
    static String spell(int[] labels) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < labels.length; i++) s.append(i > 0 ? "," : "").append(labels[i]);
        return s.toString();
    }

    /** An input as the commands spell it: {@code seed d0 d1 ...}. */
    static String spell(Peers.Input x) {
        StringBuilder s = new StringBuilder(Long.toString(x.seed()));
        for (long d : x.dims()) s.append(' ').append(d);
        return s.toString();
    }

    static String hex(float[] v) {
        StringBuilder s = new StringBuilder(v.length * 9);
        for (int i = 0; i < v.length; i++) {
            if (i > 0) s.append(' ');
            s.append(Integer.toHexString(Float.floatToRawIntBits(v[i])));
        }
        return s.toString();
    }

    static float[] unhex(String s) {
        if (s.isEmpty()) return new float[0];
        return toFloats(Arrays.stream(s.split(" ")).mapToInt(h -> Integer.parseUnsignedInt(h, 16)).toArray());
    }

    private static float[] toFloats(int[] bits) {
        float[] f = new float[bits.length];
        for (int i = 0; i < f.length; i++) f[i] = Float.intBitsToFloat(bits[i]);
        return f;
    }
}
