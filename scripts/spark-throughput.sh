#!/usr/bin/env bash
# PGD-20 throughput of feint eval on one machine (1 and 2 threads) against feint eval --spark on a
# standalone Spark cluster on loopback: a Master and one, then two, Workers of 1 core each,
# started from the Spark jars (as StandaloneClusterTest does), one 1-core executor per worker.
# Every measured run takes the benchmark lock on its own (flock /tmp/feint-bench.lock), so no two
# benchmarks overlap and none holds the lock for long; the cluster idles between runs. Prints,
# per run: the load average before it, the wall time of the whole command, the attack's time
# (plain: the attack run's seconds in the JSON report; Spark: the job's wall time as the driver
# prints it: executor launch included, session start-up not) and images/s, the attack's work (the report's seconds: on
# Spark the sum of the tasks' attack times) and the Spark session's start-up.
# Usage: scripts/spark-throughput.sh MODEL [IMAGES] [BATCH]   (e.g. a PGD-trained madry-cnn, 400, 50)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:?usage: scripts/spark-throughput.sh MODEL [IMAGES] [BATCH]}"
N="${2:-400}"
B="${3:-50}"
DATA="${DATA:-demo/fashion-mnist-1k}"   # any --data Feint reads, e.g. /usr/share/datasets/fashion-mnist for more than 1,000 images
LOCK=/tmp/feint-bench.lock
. scripts/find-java.sh
feint_find_java
./feint eval --help --spark local >/dev/null          # builds feint-spark on first use
CP="$(cat feint-spark/target/spark.classpath)"
OPENS="$(sed -n 's:.*<spark.opens>\(.*\)</spark.opens>.*:\1:p' feint-spark/pom.xml)"
TMP="$(mktemp -d /tmp/feint-spark-throughput.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
# A SPARK_HOME whose jars/ links the Spark jars: what a Worker puts on its executors' class path.
mkdir -p "$TMP/home/jars"
tr ':' '\n' <<<"$CP" | while read -r j; do ln -sf "$j" "$TMP/home/jars/"; done
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
spark_jvm() { # name main args...
  local name="$1"; shift
  # shellcheck disable=SC2086
  SPARK_HOME="$TMP/home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 \
    "$JAVA_HOME/bin/java" $OPENS -Xmx512m -cp "$CP" "$@" >"$TMP/$name.log" 2>&1 &
  PIDS+=($!)
}
PORT="$(free_port)"
spark_jvm master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" --webui-port "$(free_port)"
URL="spark://127.0.0.1:$PORT"
worker() { # i: starts worker i and waits until the master has registered i+1 workers
  spark_jvm "worker$1" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 2g \
    --webui-port "$(free_port)" --work-dir "$TMP/work$1" "$URL"
  for _ in $(seq 600); do
    [ "$(grep -c 'Registering worker' "$TMP/master.log" 2>/dev/null || true)" -gt "$1" ] && return 0
    sleep 0.1
  done
  echo "worker $1 did not register in 60 s; see $TMP/worker$1.log" >&2; exit 1
}
ARGS=(eval --model "$MODEL" --data "$DATA" --limit "$N" --attacks pgd --eps 0.1 --steps 20 --batch "$B" --quiet)
run() { # label flags...
  local label="$1"; shift
  local load t1 out wall attack work start
  # The clock (and the load average) are read once the lock is held: waiting for another benchmark is not the command's time.
  if ! out="$(flock "$LOCK" bash -c 'date +%s.%N >"$0"; cut -d" " -f1-3 /proc/loadavg >"$0.load"; exec "$@"' "$TMP/t0" ./feint "${ARGS[@]}" --json "$TMP/r.json" "$@" 2>&1)"; then
    echo "$label failed:" >&2; tail -20 <<<"$out" >&2; exit 1
  fi
  t1=$(date +%s.%N)
  wall=$(echo "$t1 - $(cat "$TMP/t0")" | bc)
  load="$(cat "$TMP/t0.load")"
  start=$(sed -n 's/^spark: .* up in \([0-9.]*\) s.*/\1/p' <<<"$out")
  attack=$(sed -n 's/^spark: .* attack runs in \([0-9.]*\) s.*/\1/p' <<<"$out")
  work=$(/usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["robustness"]; print(round(r["results"][0]["wallSeconds"],1))' "$TMP/r.json")
  [ -z "$attack" ] && attack="$work"
  printf '| %s | %s | %.1f | %s | %.1f | %s | %s |\n' "$label" "$load" "$wall" "$attack" "$(echo "$N / $attack" | bc -l)" "$work" "${start:--}"
  grep '^spark: first task began' <<<"$out" >>"$TMP/times" || true
}
lscpu | sed -n "s/^Model name: *//p"; lscpu | grep -o "avx512f" | head -1 || echo "no avx512"
echo "PGD-20 (Linf eps 0.1) on the first $N images of $DATA in batches of $B, $MODEL"
echo
echo "| run | load average before | whole command (s) | attack (s) | images/s (attack) | attack work, summed over tasks (s) | Spark start-up (s) |"
echo "|---|---|---:|---:|---:|---:|---:|"
[ -n "${SKIP_PLAIN:-}" ] || run "feint eval --threads 1" --threads 1
[ -n "${SKIP_PLAIN:-}" ] || run "feint eval --threads 2" --threads 2
worker 0
run "--spark, 1 executor of 1 core" --threads 1 --spark "$URL" --partitions "$(( (N + B - 1) / B ))"
worker 1
run "--spark, 2 executors of 1 core" --threads 1 --spark "$URL" --partitions "$(( (N + B - 1) / B ))"
echo
echo "Where the Spark jobs' time went (the driver's own line, one per Spark run):"
cat "$TMP/times"
