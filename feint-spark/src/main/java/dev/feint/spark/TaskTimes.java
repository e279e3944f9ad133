package dev.feint.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.Locale;

/**
 * Where a job's time went, from the scheduler's own figures: how long after the job's start the
 * first task began (executors launching, the jar and the model reaching them), and how long the
 * successful tasks ran in all (deserialisation included), against the attack time they report.
 * What is left between the two is the per-task cost of Spark and of loading the model and data.
 */
final class TaskTimes extends SparkListener {
    private final long start = System.currentTimeMillis();
    private long firstLaunch = Long.MAX_VALUE, runMillis;
    private int succeeded;

    @Override public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        firstLaunch = Math.min(firstLaunch, e.taskInfo().launchTime());
        if (e.taskInfo().successful() && e.taskMetrics() != null) {
            runMillis += e.taskMetrics().executorRunTime() + e.taskMetrics().executorDeserializeTime();
            succeeded++;
        }
        notifyAll();
    }

    /**
     * One line for the driver's output, given the number of tasks and the attack seconds they
     * reported; waits a little for the listener bus (it runs behind the job) to deliver every task's end.
     */
    synchronized String describe(int tasks, double attackSeconds) {
        long until = System.currentTimeMillis() + 3000;
        try {
            while (succeeded < tasks && System.currentTimeMillis() < until) wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return String.format(Locale.ROOT, "spark: first task began %.1f s into the job; the tasks ran %.1f s in all, %.1f s of it attacking",
                firstLaunch == Long.MAX_VALUE ? 0.0 : (firstLaunch - start) / 1e3, runMillis / 1e3, attackSeconds);
    }
}
