package dev.feint.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;

/** A child for {@link PeerProcessTest}: says it is ready, then misbehaves as {@code -Dpeer.mode} says. */
public final class MisbehavingPeer {
    private MisbehavingPeer() {}

    public static void main(String[] args) throws Exception {
        String mode = System.getProperty("peer.mode", "die");
        System.out.println(mode.equals("garbage-start") ? "hello from a log line" : PeerServer.READY);
        System.out.flush();
        var in = new BufferedReader(new InputStreamReader(System.in));
        String line = in.readLine();
        switch (mode) {
            case "die" -> {
                System.err.println("libfake.so: cannot allocate the arena");
                System.exit(3);
            }
            case "garbage" -> System.out.println("hello " + line);
            case "short" -> System.out.println("ok 12");
            case "silent" -> Thread.sleep(60_000);
            default -> { }
        }
        System.out.flush();
        while (in.readLine() != null) { /* until the parent closes the pipe */ }
    }
}
