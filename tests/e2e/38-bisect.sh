#!/usr/bin/env bash
# spin-gate bisect: over the 64 commits of tests/fixtures/bisect-repo.sh (a
# background spin from c37, +5% wall from c50, c31 does not build) with the
# real hyperfine; interrupted by SIGINT, the user's checkout and bisect state
# untouched; over released versions with a fake hyperfine whose 1.2 is
# flat and noisy (inconclusive: a range).
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/bisectsuite
repo=$T/repo
bash "$ROOT/tests/fixtures/bisect-repo.sh" "$repo" >/dev/null
export SPIN_GATE_CACHE=$T/cache
sha() { git -C "$repo" rev-parse "$1"; }
c31=$(git -C "$repo" rev-list --reverse bad | sed -n 32p)
c37=$(git -C "$repo" rev-list --reverse bad | sed -n 38p)

# The user is bisecting something else by hand: HEAD detached, refs/bisect,
# BISECT_LOG; a staged change in the index. None of it may change.
git -C "$repo" bisect start bad good >/dev/null
echo staged >"$repo/staged"
git -C "$repo" add staged
user_state() {
	{
		git -C "$repo" rev-parse HEAD
		git -C "$repo" symbolic-ref -q HEAD || echo detached
		git -C "$repo" status --porcelain
		git -C "$repo" ls-files -s
		git -C "$repo" worktree list --porcelain
		git -C "$repo" for-each-ref
		git -C "$repo" bisect log
		ls "$repo/.git"
	} 2>&1
}
user_state >"$T/before"

bisect() { # bisect OUT [args...]
	local out=$1
	shift
	run_bin bisect --repo "$repo" --suite "$SUITE" --good good --bad bad --out "$out" "$@"
}

# 1. SIGINT mid-bisect: 130, the steps so far written, the clone's bisection
# reset, the user's repository as it was.
"$BIN" bisect --repo "$repo" --suite "$SUITE" --good good --bad bad --out "$T/out-int" \
	>"$T/stdout" 2>"$T/stderr" &
pid=$!
for _ in $(seq 1 200); do
	grep -q 'bisect step 1:' "$T/stderr" 2>/dev/null && break
	sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
expect_rc "SIGINT mid-bisect exits 130" 130
expect "SIGINT: bisect.md has the steps so far" grep -q '^Not finished: the steps so far' "$T/out-int/bisect.md"
for d in "$T"/cache/bisect/*; do [ -d "$d" ] && clone=$d; done
expect "SIGINT: the clone's bisection is reset" fails git -C "$clone" bisect log
user_state >"$T/after"
expect "SIGINT: the user's branch, HEAD, index, bisect state and worktrees are untouched" \
	test_cmp "$T/before" "$T/after"

# 2. The whole bisection (the same cache: the clone is reusable after an
# interrupt): c37 named, c31 skipped, wall never judged.
bisect "$T/out"
expect_rc "the spinning commit found: exit 0" 0
expect "bisect.md names c37" grep -qx "First bad revision: $c37" "$T/out/bisect.md"
expect "stdout is bisect.md" test_cmp "$T/out/bisect.md" "$T/stdout"
steps=$(grep -cE '^\| [0-9]+ \| [0-9a-f]{12} \| (PASS|FAIL|INCONCLUSIVE)' "$T/out/bisect.md")
all=$(grep -cE '^\| [1-9][0-9]* \| ' "$T/out/bisect.md")
expect "at most 7 steps after the first gate, the skipped one included ($all; $steps measured)" test "$all" -le 7
expect "the broken c31 is skipped, not measured" grep -qE "^\| [0-9]+ \| ${c31:0:12} \| ERROR \| skip \| cannot be prepared" "$T/out/bisect.md"
expect "only idle-cpu is judged, never wall" python3 - "$T/out/bisect.md" <<'PY'
import sys
rows = [l for l in open(sys.argv[1]) if l.startswith("| ") and "step" not in l and "---" not in l]
assert rows and all("idle-cpu on" in l or "cannot be prepared" in l for l in rows), rows
assert not any("wall" in l for l in rows), rows
PY
nres=$(ls "$T"/out/steps/*/results.json | wc -l)
expect "each measured step's gate is in OUT/steps ($nres for $steps)" test "$nres" -eq $((steps + 1))
expect "a step pools the good side: round-0 good runs, fewer measured" python3 - "$T/out/steps" <<'PY'
import glob, json, sys
for p in sorted(glob.glob(sys.argv[1] + "/*/results.json"))[2:]:
    s = json.load(open(p))["scenarios"][0]["samples"]
    if not s["head"]:
        continue
    pooled = [x for x in s["base"] if x["round"] == 0 and not x["warmup"]]
    measured = [x for x in s["base"] if x["round"] > 0 or x["warmup"]]
    head = [x for x in s["head"] if x["round"] > 0]
    assert len(pooled) >= 3 and len(measured) < len(head), (p, len(pooled), len(measured), len(head))
    break
else:
    sys.exit("no measured step after the first two")
PY
user_state >"$T/after"
expect "the user's checkout is untouched after bisect" test_cmp "$T/before" "$T/after"

# A second bisect of the same repository while one runs: refused (4), and
# the running one's bisection left alone.
flock "$clone.lock" "$BIN" bisect --repo "$repo" --suite "$SUITE" --good good --bad bad \
	--out "$T/out-locked" >"$T/stdout" 2>"$T/stderr"
rc=$?
expect_rc "a second bisect of the same repository exits 4" 4
expect "... saying another one runs" grep -q "error: another bisect of this repository is running (it holds '$clone.lock')" "$T/stderr"

# 3. A failed run over several commits shows the bisect command in its
# verdict; over one commit it does not.
c36=$(git -C "$repo" rev-list --reverse bad | sed -n 37p)
run_bin run --repo "$repo" --suite "$SUITE" --base good --head bad --out "$T/out-run" \
	--runs 5 --warmup 0
expect_rc "a run over 63 commits fails (1)" 1
want="spin-gate bisect --repo $repo --good $(sha good) --bad $(sha bad) --suite $SUITE --thresholds $SUITE/thresholds.json"
expect "its verdict.md shows the bisect command" grep -qxF "$want" "$T/out-run/verdict.md"
expect "... and stderr says it" grep -qF "to find the commit that made it fail: $want" "$T/stderr"
run_bin run --repo "$repo" --suite "$SUITE" --base "$c36" --head "$c37" --out "$T/out-run1" \
	--runs 5 --warmup 0
expect_rc "a run over the one spinning commit fails (1)" 1
expect "... and shows no bisect command" fails grep -q "spin-gate bisect" "$T/out-run1/verdict.md"

# 4. Usage.
cd "$repo"
run_bin bisect --suite "$SUITE" --good good --bad nope --out "$T/out-u"
cd "$T"
expect_rc "without --repo the current directory's repository: a bad revision is a usage error (2)" 2
expect "... naming it and the repository" grep -q "unknown revision 'nope' in repository '.'" "$T/stderr"
run_bin bisect --versions 1.0,1.1 --good good --suite "$SUITE"
expect_rc "--versions with --good is a usage error (2)" 2
expect "... saying so" grep -q -- '--versions excludes --good, --bad and --repo' "$T/stderr"
bisect "$T/out-chk" --check nope
expect_rc "an unknown --check is a usage error (2)" 2
expect "... naming it" grep -q "bisect: --check 'nope': no such check" "$T/stderr"

# 5. Released versions, fake hyperfine (real contention figures may set a
# round aside: 12 rounds let a fail hold): 1.2 is re-measured to --max-runs,
# skipped, and the answer is a range (3).
FAKE=$ROOT/tests/fixtures/fakebisect
run_bin bisect --versions 1.0,1.1,1.2,1.3 --suite "$FAKE" --hyperfine "$FAKE/fake-hyperfine" \
	--out "$T/out-v" --cache "$T/vcache" --runs 3 --max-runs 12
expect_rc "an inconclusive step leaves a range: exit 3" 3
expect "bisect.md says the range is 1.2..1.3" python3 - "$T/out-v/bisect.md" <<'PY'
import sys
t = open(sys.argv[1]).read()
assert "Only a range: steps were skipped, and the first bad revision is one of these 2:\n\n- 1.2\n- 1.3\n" in t, t
assert "| 2 | 1.2 | INCONCLUSIVE | skip | cpu on kind=idle: cpu " in t, t
PY
expect "the inconclusive step ran to --max-runs (12 rounds)" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["scenarios"][0]["samples"]["head"]
assert max(x["round"] for x in s) == 12, [x["round"] for x in s]
' "$T/out-v/steps/02/results.json"
run_bin bisect --versions 1.0,1.1,1.2,1.3 --suite "$FAKE" --hyperfine "$FAKE/fake-hyperfine" \
	--out "$T/out-v2" --cache "$T/vcache" --runs 3 --max-runs 12 --no-reuse
expect_rc "--no-reuse: the same range (3)" 3
expect "--no-reuse measures the good side in every round" grep -qE '^\| 1 \| 1\.1 \| PASS \| good \| cpu on kind=idle: cpu 1\.00x .* \| 4 \+ 4 \|' "$T/out-v2/bisect.md"
expect "with reuse a step measures the good side in 1 round of 3" grep -qE '^\| 1 \| 1\.1 \| PASS \| good \| .* \| 1 \+ 4 \|' "$T/out-v/bisect.md"
run_bin bisect --versions 1.0,1.1 --suite "$FAKE" --hyperfine "$FAKE/fake-hyperfine" \
	--out "$T/out-v3" --cache "$T/vcache" --runs 3 --max-runs 12
expect_rc "bad that passes against good: nothing to bisect (1)" 1
expect "... saying so" grep -q "bisect: '1.1' does not fail against '1.0': nothing to bisect" "$T/stderr"

run_bin bisect --versions 1.0,1.1,1.3 --suite "$FAKE" --hyperfine "$FAKE/fake-hyperfine" \
	--out "$T/out-v4" --cache "$T/vcache" --runs 3 --max-runs 12 --check cpu
expect_rc "--check: no first gate, 1.3 found (0)" 0
expect "... and bisect.md says so" python3 - "$T/out-v4/bisect.md" <<'PY'
import sys
t = open(sys.argv[1]).read()
assert "First bad revision: 1.3\n" in t and "| 0 | 1.1 | PASS | good | cpu on kind=idle" in t, t
assert "1 step(s) (--check: no first gate)" in t, t
PY

e2e_done
