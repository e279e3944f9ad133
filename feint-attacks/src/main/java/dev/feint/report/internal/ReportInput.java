package dev.feint.report.internal;

import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.RobustnessReport;
import dev.feint.eval.audit.AuditReport;
import dev.feint.model.Model;

import java.util.List;
import java.util.Map;

/**
 * One model's evaluation as the report shows it: the metrics, every attack run (with its
 * adversarial inputs, for the figures), the data attacked, the model's metadata, and the audit of
 * the evaluation when one ran (null otherwise: the page then has no audit panel).
 *
 * @param name the model's name
 * @param metadata its metadata
 * @param model the model
 * @param data the data attacked
 * @param report the metrics
 * @param outcomes every attack run, with its adversarial inputs
 * @param audit the audit, or null
 */
public record ReportInput(String name, Map<String, String> metadata, Model model, Dataset data,
                          RobustnessReport report, List<AttackOutcome> outcomes, AuditReport audit) {
    /** Copies the map and list, so that the record stays immutable. */
    public ReportInput {
        metadata = Map.copyOf(metadata);
        outcomes = List.copyOf(outcomes);
    }

    /**
     * Without an audit.
     *
     * @param name the model's name
     * @param metadata its metadata
     * @param model the model
     * @param data the data attacked
     * @param report the metrics
     * @param outcomes every attack run
     */
    public ReportInput(String name, Map<String, String> metadata, Model model, Dataset data, RobustnessReport report,
                       List<AttackOutcome> outcomes) {
        this(name, metadata, model, data, report, outcomes, null);
    }
}
