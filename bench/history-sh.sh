#!/usr/bin/env bash
# bench/history-sh.sh: a real main history (make bench-history; docs/history.md,
# "A real history: sh 1.11 to 1.14").
#
# Builds a git repository whose main bumps a real dependency one release at a
# time: requirements.txt names sh 1.11, then every release pip serves up to
# 1.14.3 in order (22 in all), each bump followed by two unrelated commits (a
# README edit, a comment in app.py), so every release has three points and
# the detector's min_segment of 3 can place a step on any bump. Then records
# every commit of main, oldest first, with bench/sh-suite (scenarios/sh's idle
# scenario, the release the commit's requirements.txt names):
#
#   spin-gate record --repo REPO --rev COMMIT --history DIR --suite bench/sh-suite
#                    --runs 3 --max-runs 6
#
# and reads the history back: spin-gate history --json and --report. Prints
# the table (commit, what it changed, idle CPU median [interval], change
# point) and checks that the idle CPU series' change points are exactly the
# bump to 1.12.0 (where the spin came) and the bump to 1.12.4 (its fix,
# amoffat/sh#339).
#
#   bash bench/history-sh.sh             ~8 min on 2 shared cores
#
# Knobs (environment):
#   BENCH_OUT            where everything goes (default bench/out/history-sh-DATE):
#                        repo/, history/, cache/, history.json, history.html,
#                        table.md, log/
#   BENCH_SH_VERSIONS    the releases, in order (default: 1.11 to 1.14.3)
#   BENCH_REPORT         also copy history.html here (e.g. docs/img/history-sh.html)
#   SPIN_GATE_BIN        the gate (default build/spin-gate)
#   SPIN_GATE_SH_DISTS   where the releases' files are kept (default OUT/dists)
#   SPIN_GATE_SH_PYTHON  the venvs' Python (default python3); sh 1.14.0 does not
#                        import on 3.10 and later (collections.Mapping): there its
#                        three commits are recorded as not prepared (exit 4) and
#                        have no point; python3.9 measures every release
# Exit status: 0 when the change points are the expected two, 1 otherwise or
# when a step failed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
# shellcheck source=SCRIPTDIR/lib.sh
. "$BENCH/lib.sh"
GATE=${SPIN_GATE_BIN:-$ROOT/build/spin-gate}
OUT=${BENCH_OUT:-$BENCH/out/history-sh-$(date +%Y%m%d-%H%M%S)}
VERSIONS=${BENCH_SH_VERSIONS:-1.11 1.12.0 1.12.1 1.12.2 1.12.3 1.12.4 1.12.5 1.12.6 1.12.7 1.12.8 1.12.9 1.12.10 1.12.11 1.12.12 1.12.13 1.12.14 1.13.0 1.13.1 1.14.0 1.14.1 1.14.2 1.14.3}

[ -x "$GATE" ] || die "no gate at '$GATE' (run make)"
command -v hyperfine >/dev/null || die "hyperfine not found"
[ ! -e "$OUT/repo" ] || die "'$OUT/repo' exists: give a new BENCH_OUT"
mkdir -p "$OUT/bin" "$OUT/log" "$OUT/history"
cp "$GATE" "$OUT/bin/spin-gate"
GATE=$OUT/bin/spin-gate
# the gate's own checks, named: a copied gate finds no home (config_home())
# and would read ./thresholds.json of wherever the bench was started
cp "$ROOT/thresholds.json" "$OUT/thresholds.json"
TH=$OUT/thresholds.json
export SPIN_GATE_SH_DISTS=${SPIN_GATE_SH_DISTS:-$OUT/dists}
mkdir -p "$SPIN_GATE_SH_DISTS"

start=$(date +%s)
echo "bench: $(date -u +%FT%TZ) load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"

# 1. the releases' files, once (pip download; sh is one module)
for v in $VERSIONS; do
	have=
	for f in "$SPIN_GATE_SH_DISTS/sh-$v-"*.whl "$SPIN_GATE_SH_DISTS/sh-$v.tar.gz"; do
		[ -f "$f" ] && have=1
	done
	[ -z "$have" ] || continue
	PIP_ROOT_USER_ACTION=ignore python3 -m pip download --disable-pip-version-check --no-input --quiet \
		--no-deps --dest "$SPIN_GATE_SH_DISTS" "sh==$v" >>"$OUT/log/pip.log" 2>&1 ||
		die "cannot download sh $v (see $OUT/log/pip.log)"
done

# 2. the repository: one commit an hour, so history order is commit order
REPO=$OUT/repo
git init -q -b main "$REPO"
n=0
commit() { # commit SUBJECT: commit everything, dated an hour after the last
	n=$((n + 1))
	local when
	when=$(date -u -d "2026-01-01 00:00:00 UTC + $n hours" +%FT%TZ)
	git -C "$REPO" add -A
	GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_AUTHOR_DATE=$when \
		GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid GIT_COMMITTER_DATE=$when \
		git -C "$REPO" commit -q -m "$1"
}
unrelated() { # two commits that do not touch the dependency
	printf '\nNotes for the release after sh %s.\n' "$1" >>"$REPO/README.md"
	commit "README: notes after sh $1"
	printf '# checked with sh %s\n' "$1" >>"$REPO/app.py"
	commit "app.py: a comment after sh $1"
}
first=
for v in $VERSIONS; do
	printf 'sh==%s\n' "$v" >"$REPO/requirements.txt"
	if [ -z "$first" ]; then
		first=$v
		printf '# app\n\nAn application that runs commands with sh.\n' >"$REPO/README.md"
		printf 'import sh\n\n\ndef main():\n    sh.sleep("1", _bg=True).wait()\n' >"$REPO/app.py"
		commit "start with sh $v"
	else
		commit "bump sh to $v"
	fi
	unrelated "$v"
done
commits=$(git -C "$REPO" rev-list --reverse main)
total=$(echo "$commits" | wc -l)
echo "bench: $REPO: $total commits, sh $first to $v"

# 3. record every commit, oldest first
i=0
for c in $commits; do
	i=$((i + 1))
	t0=$(date +%s)
	rc=0
	"$GATE" record --repo "$REPO" --rev "$c" --history "$OUT/history" \
		--suite "$BENCH/sh-suite" --thresholds "$TH" --runs 3 --max-runs 6 \
		--out "$OUT/rec" --cache "$OUT/cache" --quiet >"$OUT/log/$i-${c:0:12}.log" 2>&1 || rc=$?
	# 4: the commit could not be prepared (sh 1.14.0 does not import on
	# Python 3.10 and later): a commit of main like any other, no point
	case "$rc" in
	0) what="" ;;
	4) what=" (exit 4: $(grep -m1 -o 'setup.sh: error: .*\|Error: .*' "$OUT/rec/logs/setup.log" || echo "not prepared"))" ;;
	*) die "record of $c exited $rc (see $OUT/log/$i-${c:0:12}.log)" ;;
	esac
	echo "bench: $i/$total ${c:0:12} $(git -C "$REPO" log -1 --format=%s "$c"): $(( $(date +%s) - t0 )) s, load $(cut -d' ' -f1 /proc/loadavg)$what"
done
rec_end=$(date +%s)

# 4. read it back
"$GATE" history --history "$OUT/history" --thresholds "$TH" --json >"$OUT/history.json"
"$GATE" history --history "$OUT/history" --thresholds "$TH" --report "$OUT/history.html" >"$OUT/history.txt"
cat "$OUT/history.txt"
[ -z "${BENCH_REPORT:-}" ] || cp "$OUT/history.html" "$BENCH_REPORT"
end=$(date +%s)
echo "bench: recording took $(fmt_min $((rec_end - start))), all $(fmt_min $((end - start))); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# 5. the table and the check
python3 "$BENCH/history-sh.py" "$REPO" "$OUT/history" "$OUT/history.json" >"$OUT/table.md" || rc=$?
cat "$OUT/table.md"
exit "${rc:-0}"
