package dev.feint.eval;

import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

/**
 * What an evaluation builder was given as data: a {@link Dataset} (read batch by batch, never
 * whole) or examples in memory, which {@link #resolve} wraps as a dataset once the model, and so
 * the number of classes, is known. The one place the builders of {@link RobustnessEvaluation},
 * {@link TransferEvaluation}, {@link TransferMatrix} and the audit keep and check their data.
 */
public final class EvaluationData {
    private Dataset data;
    private Tensor x;
    private int[] labels;

    /** No data yet: {@link #given()} is false until one of the {@code set} methods is called. */
    public EvaluationData() {}

    /**
     * Examples held in memory: x [N, C, H, W] with their labels.
     *
     * @param x the inputs [N, C, H, W]
     * @param labels their labels
     */
    public void set(Tensor x, int[] labels) {
        this.data = null;
        this.x = x;
        this.labels = labels.clone();
    }

    /**
     * A dataset.
     *
     * @param d the dataset
     */
    public void set(Dataset d) {
        this.data = d;
        this.x = null;
        this.labels = null;
    }

    /** {@return whether data was given} */
    public boolean given() { return data != null || x != null; }

    /** {@return the number of examples given} */
    public int size() { return data != null ? data.size() : labels.length; }

    /**
     * The data as a dataset, checked to fit {@code model} (shape, labels in its classes; the
     * messages of {@link AttackRunner#checkData}).
     *
     * @param model the model the data must fit
     * @return the data as a dataset
     * @throws dev.feint.FeintException naming what does not fit
     */
    public Dataset resolve(Model model) {
        if (x != null) {
            AttackRunner.checkData(model, x, labels);
            return new Dataset("memory", x, labels, model.numClasses(), Datasets.numbered(model.numClasses()));
        }
        AttackRunner.checkData(model, data.exampleShape(), data.labels());
        return data;
    }
}
