package dev.feint.cli;

import picocli.CommandLine;

/** Version from the jar manifest (set by the build), else "dev". */
final class Version implements CommandLine.IVersionProvider {
    public static String get() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override public String[] getVersion() {
        return new String[] {"feint " + get(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
