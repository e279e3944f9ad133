package dev.feint.eval;

import dev.feint.model.Model;

/** A model with the name reports show for it (usually its file name). */
public record NamedModel(String name, Model model) {
    public NamedModel {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a model name is required");
        if (model == null) throw new IllegalArgumentException("model " + name + " is null");
    }
}
