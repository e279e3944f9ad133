#!/usr/bin/env bash
# The AdvProp grid of docs/RESULTS.md (issue 17): AdvProp (Xie et al., arXiv:1911.09665) against
# standard training with the same schedule and seeds, at the paper's perturbation sizes.
#
# Grid: ARCHS x (standard, AdvProp PGD-1 and PGD-5 at eps 1/255, 2/255, 4/255) x seeds 1, 2, 3.
# PGD-1 takes one step of eps (the paper's weakest attacker, which suited its smallest networks);
# PGD-5 takes 5 steps of 1/255 (the paper's step size on the 0-255 scale; its strongest attacker).
# Every run: `feint train` (10 epochs, Adam 1e-3, cosine, batch 128, first LIMIT training images)
# then `feint eval` (PGD-20 at every grid eps on the first EVAL_LIMIT test images), and one result
# file RESULTS/<run>.json (clean accuracy on the 10,000 test images, robust accuracies, ROC-AUCs,
# training seconds, the commit and the load average). Runs with a result file are skipped, so the grid runs in pieces (a run stopped
# mid-training resumes from its last finished epoch); several copies may run at once (each run is
# claimed with a lock folder; a copy killed mid-run leaves none). Runs go in priority order,
# complete 3-seed cells first: cnn-bn standard, PGD-1 at 1/255, PGD-1 at 4/255 (as cheap), PGD-5 at
# 4/255 (2-3x the cost), the rest, then the next architecture.
#
# Usage: scripts/advprop-grid.sh [--only REGEX] [--max-runs N] [--list] [--table]
#   --only REGEX   only runs whose id matches (ids: <arch>-<recipe>-s<seed>, e.g. cnn-bn-ap-pgd1-e1-s2)
#   --max-runs N   stop after N runs trained by this invocation
#   --list         print the run ids in order, with their state, and exit
#   --table        only write the table into docs/RESULTS.md (between the advprop-grid markers)
# Environment: ARCHS ("cnn-bn resnet-mini"; "cnn-bn preact-resnet18" for the paper-sized ResNet, not yet run), EPOCHS (10), LIMIT (10000 training images; 60000 for all),
#   EVAL_LIMIT (1000), THREADS (1), WORK (/tmp/advprop-grid: models, logs), RESULTS
#   (docs/results/advprop-grid), RESULTS_MD (docs/RESULTS.md), FEINT (the launcher; default ./feint), NICE (10),
#   FEINT_HEAP (3g here: cnn-bn needs under 3 GB, and with the launcher's 8 GB default the kernel's OOM
#   killer took the grid's JVMs first on a machine shared with other jobs; a killed run leaves no result).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCHS="${ARCHS:-cnn-bn resnet-mini}"; EPOCHS="${EPOCHS:-10}"; LIMIT="${LIMIT:-10000}"; EVAL_LIMIT="${EVAL_LIMIT:-1000}"
THREADS="${THREADS:-1}"; WORK="${WORK:-/tmp/advprop-grid}"; RESULTS="${RESULTS:-$ROOT/docs/results/advprop-grid}"
FEINT="${FEINT:-$ROOT/feint}"; NICE="${NICE:-10}"; export FEINT_HEAP="${FEINT_HEAP:-3g}"; RESULTS_MD="${RESULTS_MD:-$ROOT/docs/RESULTS.md}"
ONLY=""; MAX_RUNS=0; MODE=run
while [ $# -gt 0 ]; do
  case "$1" in
    --only) ONLY="${2:?--only needs a REGEX}"; shift 2 ;;
    --max-runs) MAX_RUNS="${2:?--max-runs needs N}"; shift 2
      [[ "$MAX_RUNS" =~ ^[0-9]+$ ]] || { echo "advprop-grid: --max-runs must be a whole number, got '$MAX_RUNS'" >&2; exit 2; } ;;
    --list) MODE=list; shift ;;
    --table) MODE=table; shift ;;
    *) echo "advprop-grid: unknown argument '$1' (expected --only REGEX, --max-runs N, --list or --table)" >&2; exit 2 ;;
  esac
done
EPS_EVAL="0.003921569,0.007843138,0.015686275"   # 1/255, 2/255, 4/255

# Recipes: name -> train flags. Priority order: the two ends of the paper's range first.
RECIPES=(std ap-pgd1-e1 ap-pgd1-e4 ap-pgd5-e4 ap-pgd5-e1 ap-pgd1-e2 ap-pgd5-e2)
flags() {
  local eps1=0.003921569
  case "$1" in
    std) echo "--adv none" ;;
    ap-pgd1-e*) local e; e=$(awk "BEGIN{printf \"%.9f\", ${1#ap-pgd1-e} / 255}"); echo "--adv advprop --eps $e --steps 1 --step-size $e" ;;
    ap-pgd5-e*) local e; e=$(awk "BEGIN{printf \"%.9f\", ${1#ap-pgd5-e} / 255}"); echo "--adv advprop --eps $e --steps 5 --step-size $eps1" ;;
  esac
}
runs() {
  for arch in $ARCHS; do for r in "${RECIPES[@]}"; do for s in 1 2 3; do echo "$arch-$r-s$s"; done; done; done
}

table() {
  /usr/bin/python3 "$ROOT/scripts/advprop-table.py" "$RESULTS" "$RESULTS_MD"
}

if [ "$MODE" = table ]; then table; exit 0; fi
mkdir -p "$WORK/models" "$WORK/logs" "$WORK/locks" "$RESULTS"
if [ "$MODE" = list ]; then
  for id in $(runs); do
    [ -n "$ONLY" ] && ! [[ "$id" =~ $ONLY ]] && continue
    state=todo; [ -d "$WORK/locks/$id" ] && state=running; [ -f "$RESULTS/$id.json" ] && state=done
    echo "$id $state"
  done
  exit 0
fi

done_runs=0
for id in $(runs); do
  [ -n "$ONLY" ] && ! [[ "$id" =~ $ONLY ]] && continue
  [ -f "$RESULTS/$id.json" ] && continue
  mkdir "$WORK/locks/$id" 2>/dev/null || continue        # another copy has it
  trap 'rmdir "$WORK/locks/$id" 2>/dev/null' EXIT
  arch="${id%%-std-*}"; arch="${arch%%-ap-*}"; rest="${id#"$arch"-}"; recipe="${rest%-s*}"; seed="${rest##*-s}"
  model="$WORK/models/$id.safetensors"; log="$WORK/logs/$id"
  # shellcheck disable=SC2046
  train=(train --arch "$arch" --data fashion-mnist --epochs "$EPOCHS" --limit "$LIMIT" --batch 128 --seed "$seed"
         --threads "$THREADS" $(flags "$recipe") --held-out-adv 0 --out "$model" --log "$log.jsonl")
  evalc=(eval --model "$model" --data fashion-mnist --limit "$EVAL_LIMIT" --threads "$THREADS" --attacks pgd
         --eps "$EPS_EVAL" --steps 20 --seed 1 --json "$log.eval.json")
  # A run stopped mid-training continues from its last epoch (the checkpoint's fingerprint must match).
  [ -f "${model%.safetensors}.ckpt.safetensors" ] && [ ! -f "$model" ] && train+=(--resume)
  echo "[$(date -u +%H:%M:%S)] $id: feint ${train[*]}"
  load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
  [ -f "$model" ] || nice -n "$NICE" "$FEINT" "${train[@]}" >"$log.train.out" 2>&1 \
    || { echo "$id: training failed, see $log.train.out" >&2; rmdir "$WORK/locks/$id"; exit 1; }
  echo "[$(date -u +%H:%M:%S)] $id: feint ${evalc[*]}"
  nice -n "$NICE" "$FEINT" "${evalc[@]}" >"$log.eval.out" 2>&1 \
    || { echo "$id: evaluation failed, see $log.eval.out" >&2; rmdir "$WORK/locks/$id"; exit 1; }
  /usr/bin/python3 - "$model" "$log.eval.json" "$RESULTS/$id.json" "$id" "$arch" "$recipe" "$seed" "$LIMIT" "$EPOCHS" \
      "feint ${train[*]}" "feint ${evalc[*]}" "$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)" \
      "$load_start" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'EOF'
import json, os, struct, sys
model, ev, out, rid, arch, recipe, seed, limit, epochs, tcmd, ecmd, commit, load0, load1 = sys.argv[1:]
with open(model, 'rb') as f:
    n = struct.unpack('<Q', f.read(8))[0]
    meta = json.loads(f.read(n))['__metadata__']
e = json.load(open(ev))['robustness']
r = {'id': rid, 'arch': arch, 'recipe': recipe, 'seed': int(seed), 'trainImages': int(limit), 'epochs': int(epochs),
     'training': json.loads(meta['recipe']), 'cleanAccuracy': float(meta['testAccuracy']), 'testImages': 10000,
     'trainSeconds': float(meta['trainSeconds']), 'evalImages': e['examples'], 'evalCleanAccuracy': e['cleanAccuracy'],
     'evalCleanMacroAuc': e['cleanRocAuc']['macro'],
     'pgd20': [{'eps': x['eps'], 'robustAccuracy': x['robustAccuracy'], 'macroAuc': x['rocAuc']['macro'],
                'detectionAuc': x['detectionAuc'].get('auc')} for x in e['results']],
     'commands': [tcmd, ecmd], 'commit': commit, 'loadAverage': {'start': load0, 'end': load1}}
tmp = out + '.tmp'
with open(tmp, 'w') as f: json.dump(r, f, indent=1); f.write('\n')
os.replace(tmp, out)
EOF
  rmdir "$WORK/locks/$id"; trap - EXIT
  echo "[$(date -u +%H:%M:%S)] $id: done ($(jq -r '"clean \(.cleanAccuracy), \(.trainSeconds) s"' "$RESULTS/$id.json"))"
  done_runs=$((done_runs + 1))
  [ "$MAX_RUNS" -gt 0 ] && [ "$done_runs" -ge "$MAX_RUNS" ] && break
done
table
