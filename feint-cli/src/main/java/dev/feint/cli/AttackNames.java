package dev.feint.cli;

import dev.feint.attack.AttackRegistry;

import java.util.Iterator;

/** The registered attack names, for picocli's {@code ${COMPLETION-CANDIDATES}} in help text (one list: the registry's). */
final class AttackNames implements Iterable<String> {
    @Override public Iterator<String> iterator() { return AttackRegistry.names().iterator(); }
}
