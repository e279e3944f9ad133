package dev.feint.eval;

import dev.feint.model.Model;

/**
 * A model with the name reports show for it (usually its file name).
 *
 * @param name the name reports show
 * @param model the model
 */
public record NamedModel(String name, Model model) {
    /**
     * Checks that both are given.
     *
     * @throws IllegalArgumentException when the name is blank or the model null
     */
    public NamedModel {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a model name is required");
        if (model == null) throw new IllegalArgumentException("model " + name + " is null");
    }
}
