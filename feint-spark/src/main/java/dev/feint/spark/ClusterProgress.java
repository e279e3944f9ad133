package dev.feint.spark;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * Examples done across the cluster, live: running tasks report their accumulator in the
 * executors' heartbeats (every {@code spark.executor.heartbeatInterval}, 10 s by default),
 * finished ones count in full. A failed attempt's count is dropped (its
 * retry counts again from zero), so the figure never runs past the total.
 */
final class ClusterProgress extends SparkListener {
    private final long accumulatorId;
    private final long[] workOfPartition;
    private final LongConsumer sink;
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> finished = new ConcurrentHashMap<>();
    private volatile long completed;

    /** workOfPartition[i]: the examples-times-runs of the job's i-th partition (its task index), counted when its task succeeds. */
    ClusterProgress(long accumulatorId, long[] workOfPartition, LongConsumer sink) {
        this.accumulatorId = accumulatorId;
        this.workOfPartition = workOfPartition.clone();
        this.sink = sink;
    }

    @Override public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate u) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t : CollectionConverters.asJava(u.accumUpdates()))
            for (AccumulableInfo a : CollectionConverters.asJava(t._4()))
                if (a.id() == accumulatorId && a.update().isDefined() && a.update().get() instanceof Long v)
                    running.put((Long) t._1(), v);
        report();
    }

    @Override public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        running.remove(e.taskInfo().taskId());
        int p = e.taskInfo().index();
        if (e.taskInfo().successful() && p < workOfPartition.length && finished.putIfAbsent(p, true) == null) completed += workOfPartition[p];
        report();
    }

    private void report() {
        long n = completed;
        for (long v : running.values()) n += v;
        sink.accept(n);
    }
}
