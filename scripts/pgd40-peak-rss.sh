#!/usr/bin/env bash
# Peak resident memory (issue 19) of a PGD-40 evaluation (L-inf, eps 0.1, batch 128, 2 threads) of
# the Fashion-MNIST test set, with the launcher's JVM flags and a given young generation, and the
# allocation of the run estimated from its GC log (sum over young collections of heap before the
# collection minus heap after the previous one, plus what is in use at the exit). Usage:
#   scripts/pgd40-peak-rss.sh [LIMIT=10000] [YOUNG=512m] [JAR=feint-cli/target/feint.jar]
# FEINT_HEAP=3g (default 8g, the launcher's). MODEL=file.safetensors (default: the PGD-trained quick madry-cnn of the Spark session if present,
# else demo/models/fmnist-lenet-pgd.safetensors). THP=off runs without the launcher's transparent huge
# pages (scripts/find-java.sh feint_huge_pages_opt). Run it niced on a shared machine: the figure is
# memory, not time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIMIT="${1:-10000}"; YOUNG="${2:-512m}"; JAR="${3:-$ROOT/feint-cli/target/feint.jar}"
MODEL="${MODEL:-/tmp/sparkx/models/fmnist-madry-pgd-quick.safetensors}"
[ -f "$MODEL" ] || MODEL="$ROOT/demo/models/fmnist-lenet-pgd.safetensors"
. "$ROOT/scripts/find-java.sh"
feint_find_java || exit 1
[ -f "$JAR" ] || { echo "pgd40-peak-rss: no jar at $JAR (build with ./feint --version first)" >&2; exit 2; }
HP="$(feint_huge_pages_opt)"; [ "${THP:-on}" = off ] && HP=""
DIR="$(mktemp -d)"; trap 'rm -rf "$DIR"' EXIT
/usr/bin/time -v "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx"${FEINT_HEAP:-8g}" -Xmn"$YOUNG" $HP -Xss8m \
    -Xlog:gc:file="$DIR/gc.log" -cp "$JAR" dev.feint.cli.Main eval --model "$MODEL" \
    --data /usr/share/datasets/fashion-mnist --attacks pgd --eps 0.1 --steps 40 --batch 128 --threads 2 \
    --limit "$LIMIT" --json "$DIR/eval.json" --quiet > "$DIR/out.txt" 2> "$DIR/time.txt" \
    || { cat "$DIR/out.txt" "$DIR/time.txt"; exit 1; }
rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$DIR/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$DIR/time.txt")
user=$(awk -F': ' '/User time/ {print $2}' "$DIR/time.txt")
# ParallelGC lines: "... Pause Young (Allocation Failure) 600M->20M(2000M) 3.1ms"
alloc=$(awk '/Pause/ { if (match($0, /[0-9]+M->[0-9]+M/)) { split(substr($0, RSTART, RLENGTH), a, /M->|M/);
          total += a[1] - prev; prev = a[2]; gcs++ } }
        END { printf "%d MB in %d collections", total, gcs }' "$DIR/gc.log")
robust=$(grep -o '"robustAccuracy"[^,}]*' "$DIR/eval.json" | head -1 || true)
echo "PGD-40 eval of $LIMIT images, $(basename "$MODEL"), -Xmn$YOUNG${HP:+ $HP}: peak RSS ${rss} MB, user CPU ${user} s," \
     "wall $wall, allocated about $alloc (young collections; the heap in use at exit not counted); $robust;" \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
