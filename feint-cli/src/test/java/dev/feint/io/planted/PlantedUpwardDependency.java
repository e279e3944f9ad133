package dev.feint.io.planted;

/** A planted core class that reaches up into the CLI, for the architecture test to catch (test sources only). */
final class PlantedUpwardDependency {
    int run() { return dev.feint.cli.Main.run("--version"); }
}
