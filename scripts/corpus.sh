#!/usr/bin/env bash
# make corpus: gate every case of the corpus both ways and write the table.
#
#   scripts/corpus.sh [CASE...]       every case of corpus/cases.tsv, or those named
#
# For each case (corpus/NAME/, a suite with its buggy and fixed release in
# corpus/cases.tsv) the built gate runs twice:
#   fix:  --base BUGGY --head FIXED  must PASS (exit 0);
#   spin: --base FIXED --head BUGGY  must FAIL (exit 1) on an idle check
#         (idle-cpu or idle-system), and on nothing else.
# Each run's results.json and verdict.md stay in OUT/NAME-fix and OUT/NAME-spin;
# the table (case, language, direction, verdict, idle-cpu head/base with its
# interval, the CPU medians, rounds, other work's share of the machine, the
# signature and profile lines of a
# failing verdict, time) goes to RESULTS, with the commit and the machine it
# ran on. Exit 0 when every case went both ways as it must, 1 otherwise.
#
# Environment: SPIN_GATE_BIN (build/spin-gate), CORPUS_OUT (out/corpus),
# CORPUS_RESULTS (corpus/RESULTS.md for the whole corpus, OUT/RESULTS.md when
# cases are named), CORPUS_ARGS (more arguments for every
# run, split on spaces: e.g. "--max-runs 12"). The environments and builds are
# cached in the gate's cache (SPIN_GATE_CACHE, as for any run), so a second
# `make corpus` builds nothing and needs no network.
set -euo pipefail

root=$(cd -- "$(dirname -- "$0")/.." && pwd)
cd -- "$root"
bin=${SPIN_GATE_BIN:-build/spin-gate}
out=${CORPUS_OUT:-out/corpus}
# the committed table is the whole corpus's: some cases only write beside their runs
if [ $# -gt 0 ]; then
	results=${CORPUS_RESULTS:-$out/RESULTS.md}
else
	results=${CORPUS_RESULTS:-corpus/RESULTS.md}
fi
read -r -a extra <<<"${CORPUS_ARGS:-}"

die() { echo "corpus.sh: error: $*" >&2; exit 2; }
[ -x "$bin" ] || die "'$bin' not found: run make first"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read results.json"

cases=()
known=()
while IFS=$'\t' read -r name lang buggy fixed; do
	case "$name" in '' | '#'*) continue ;; esac
	known+=("$name")
	if [ $# -gt 0 ]; then
		want=0
		for a in "$@"; do [ "$a" = "$name" ] && want=1; done
		[ "$want" -eq 1 ] || continue
	fi
	cases+=("$name"$'\t'"$lang"$'\t'"$buggy"$'\t'"$fixed")
done <corpus/cases.tsv
for a in "$@"; do
	found=0
	for k in "${known[@]}"; do [ "$k" = "$a" ] && found=1; done
	[ "$found" -eq 1 ] || die "no case '$a' in corpus/cases.tsv"
done
[ "${#cases[@]}" -gt 0 ] || die "corpus/cases.tsv lists no case"

# the commit measured: taken before the runs, which take minutes
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- corpus scripts src thresholds.json 2>/dev/null ||
	commit="$commit (with uncommitted changes)"
started=$(date -u +%Y-%m-%dT%H:%MZ)

mkdir -p -- "$out"
rows=$out/rows.md
: >"$rows"
bad=0

# row NAME LANG DIR BASE HEAD EXPECT RC SECONDS: one table row from OUT/NAME-DIR,
# and whether the run was right (exit 0) or wrong (exit 1)
row() {
	python3 - "$@" <<'PY'
import json, re, sys
name, lang, d, base, head, expect, rc, secs, dirpath = sys.argv[1:10]
rc = int(rc)
def fmt(x):
    if x is None:
        return "?"
    return "%.0f" % x if abs(x) >= 100 else "%.3g" % x
def head_part(s):
    """The head's half of a signature or profile line, its first three facts."""
    s = s.split("; base:")[0]
    return ", ".join(s.split(", ")[:3])
try:
    r = json.load(open(dirpath + "/results.json"))
except (OSError, ValueError) as e:
    r = None
verdict, ratio, cpu, rounds, failed, others = "no results", "", "", "", [], ""
if r:
    c = r.get("contention") or {}
    med = [(c.get(side) or {}).get("median") for side in ("base", "head")]
    if None not in med:
        others = "%.0f%%, %.0f%%" % (100 * med[0], 100 * med[1])
    verdict = r["verdict"].upper()
    checks = r["checks"]
    failed = sorted({c["check"] for c in checks if c["status"] == "fail"})
    for c in checks:
        if c["check"] == "idle-cpu":
            ci = c.get("ci") or [None, None]
            ratio = "%sx [%s, %s]" % (fmt(c["ratio"]), fmt(ci[0]), fmt(ci[1]))
            cpu = "%s -> %s s" % (fmt(c["base"]), fmt(c["head"]))
            rounds = "%d" % max(c.get("n_base") or 0, c.get("n_head") or 0)
    if failed:
        verdict += ": " + ", ".join(failed)
idle = {"idle-cpu", "idle-system"}
if expect == "pass":
    right = rc == 0
else:
    right = rc == 1 and bool(failed) and set(failed) <= idle
sig = prof = ""
try:
    for line in open(dirpath + "/verdict.md"):
        m = re.match(r"\*\*Signature\*\* of [^:]*: (.*)", line)
        if m:
            sig = head_part(m.group(1).strip())
        m = re.match(r"\*\*Profile\*\* of [^:]*: (.*)", line)
        if m:
            prof = head_part(m.group(1).strip())
except OSError:
    pass
cell = lambda s: s.replace("|", "\\|")
print("| %s | %s | %s -> %s | %s | exit %d, %s | %s | %s | %s | %s | %s | %s | %s s | %s |" % (
    name, lang, base, head, "must " + expect.upper(), rc, cell(verdict), ratio, cpu, rounds,
    others or "?", cell(sig) or "-", cell(prof) or "-", secs, "right" if right else "**WRONG**"))
sys.exit(0 if right else 1)
PY
}

for c in "${cases[@]}"; do
	IFS=$'\t' read -r name lang buggy fixed <<<"$c"
	[ -f "corpus/$name/suite.json" ] || die "corpus/$name/suite.json not found"
	for d in fix spin; do
		if [ "$d" = fix ]; then base=$buggy head=$fixed expect=pass; else base=$fixed head=$buggy expect=fail; fi
		dir=$out/$name-$d
		rm -rf -- "$dir"
		echo "corpus.sh: $name $d: $base -> $head (must $expect)" >&2
		t0=$(date +%s)
		rc=0
		"$bin" run --suite "corpus/$name" --base "$base" --head "$head" --out "$dir" \
			${extra[@]+"${extra[@]}"} >"$out/$name-$d.stdout" 2>"$out/$name-$d.stderr" || rc=$?
		secs=$(($(date +%s) - t0))
		if ! row "$name" "$lang" "$d" "$base" "$head" "$expect" "$rc" "$secs" "$dir" >>"$rows"; then
			bad=1
			echo "corpus.sh: $name $d: WRONG (exit $rc); see $out/$name-$d.stderr" >&2
		fi
		tail -n 1 "$rows" >&2
	done
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
{
	echo "# The corpus, measured"
	echo
	echo "\`make corpus\` (\`scripts/corpus.sh\`) at commit $commit, started $started, on"
	echo "$(uname -sr) $(uname -m), $(nproc) cores (${cpu:-unknown CPU}), $("$bin" --version 2>/dev/null | head -n 1 || true)."
	echo "Every case runs both ways with the shipped thresholds.json: buggy -> fixed must PASS,"
	echo "fixed -> buggy must FAIL on an idle check and on nothing else. idle-cpu is head/base"
	echo "of the median CPU (user + system) with its interval; rounds are the judged runs a side;"
	echo "others' share is the median share of the machine that other work took during each side's runs;"
	echo "the signature and profile are the head's half of the failing verdict's lines (the gate"
	echo "profiles a failed idle check; results.json and verdict.md have them whole). Suites and bugs: corpus/NAME/README.md;"
	echo "the candidates left out and why: corpus/README.md."
	echo
	echo "| case | language | base -> head | expected | exit, verdict | idle-cpu head/base [CI] | CPU base -> head | rounds | others' share (base, head) | signature | profile | time | right? |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	cat -- "$rows"
} >"$results.tmp"
mv -- "$results.tmp" "$results"
echo "corpus.sh: wrote $results" >&2
exit "$bad"
