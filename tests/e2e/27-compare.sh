#!/usr/bin/env bash
# spin-gate compare on three revisions of the fake suite (runs timed by a fake
# hyperfine that makes up figures, so rounds and verdicts are exact): 1.0 the
# reference, 1.0.1 the same as 1.0, 2.0 spinning (10x the CPU) and out of
# phase on the noisy scenario (never decided). Checks the tables, the order of
# the runs, one results.json per pair that `judge` reproduces, and the
# refusals.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/fakesuite
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 8,
  "checks": [
    { "name": "cpu", "where": { "kind": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 2 },
    { "name": "wall", "where": { "kind": "noisy" }, "metric": "wall", "rule": "ratio_max", "value": 1.1 } ] }
JSON
compare() { # compare OUT REV... [args]
	OUT=$1
	shift
	run_bin compare --suite "$SUITE" --thresholds "$T/thresholds.json" --out "$OUT" \
		--warmup 1 --cache "$T/cache" --hyperfine "$SUITE/fake-hyperfine" "$@"
}

compare "$T/out" 1.0 1.0.1 2.0
expect "compare exits 0 whatever the pairs' verdicts" test "$rc" -eq 0
expect "one directory per pair, each with results.json, verdict.md, report.html" bash -c "
	for d in 2-1.0.1 3-2.0; do
		for f in results.json verdict.md report.html; do test -s '$OUT'/\$d/\$f || exit 1; done
	done"
expect "compare.md has one table per scenario, a row per revision" python3 - "$OUT/compare.md" <<'PY'
import sys
md = open(sys.argv[1]).read()
assert "- **#2 1.0.1 vs #1 1.0: pass** - 2 checks passed" in md, md
assert "- **#3 2.0 vs #1 1.0: fail** - 1 of 2 checks failed: cpu on kind=spin" in md, md
tables = md.split("\n### ")[1:]
assert [t.split("\n")[0] for t in tables] == ["kind=spin", "kind=noisy"], tables
head = "| # | revision | resolved | wall | cpu | wall / #1 | cpu / #1 | checks |"
spin, noisy = ([l for l in t.split("\n") if l.startswith("| ")] for t in tables)
assert spin[0] == head and len(spin) == 5 and len(noisy) == 5, (spin, noisy)
assert spin[2] == "| 1 | 1.0 | 1.0 | 1.00 s | 0.100 s |  |  | (reference) |", spin[2]
assert spin[3] == "| 2 | 1.0.1 | 1.0.1 | 1.00 s | 0.100 s | 1.00x \\[1.00, 1.00\\] | 1.00x \\[1.00, 1.00\\] | cpu pass |", spin[3]
assert spin[4] == "| 3 | 2.0 | 2.0 | 1.00 s | 1.00 s | 1.00x \\[1.00, 1.00\\] | 10.0x \\[10.0, 10.0\\] | cpu fail |", spin[4]
assert noisy[3].endswith("| wall pass |") and noisy[4].endswith("| wall inconclusive |"), noisy
assert "| 1.00x \\[0.77, 1.30\\] |" in noisy[4], noisy[4]
PY
expect "the terminal shows the same tables" bash -c "
	grep -q '^#3 2.0 vs #1 1.0: FAIL: 1 of 2 checks failed: cpu on kind=spin' '$T/stdout' &&
	grep -q '^kind=noisy$' '$T/stdout' &&
	grep -Eq '^3  2.0  +2.0  +1.00 s  1.00 s +1.00x \[1.00, 1.00\]  10.0x \[10.0, 10.0\]  cpu fail$' '$T/stdout'"
expect "each pair: base is REV1, head its revision, REV1's samples shared" python3 - "$OUT" <<'PY'
import json, sys
a = json.load(open(sys.argv[1] + "/2-1.0.1/results.json"))
b = json.load(open(sys.argv[1] + "/3-2.0/results.json"))
for r, head in ((a, "1.0.1"), (b, "2.0")):
    assert r["complete"] is True and r["schema"] == "spin-gate/results", r
    assert r["revisions"]["base"]["spec"] == "1.0" and r["revisions"]["head"]["spec"] == head
    assert r["settings"]["all_checks"] is True
for sa, sb in zip(a["scenarios"], b["scenarios"]):
    assert sa["samples"]["base"] == sb["samples"]["base"], sa["name"]
    assert sa["command"]["base"] == sb["command"]["base"]
    assert sa["samples"]["head"] != sb["samples"]["head"] or sa["name"] == "kind=noisy"
rounds = {s["params"]["kind"]: max(x["round"] for x in s["samples"]["head"]) for s in a["scenarios"]}
# the spin fails in pair 3 after 6 rounds (the look-corrected level); noisy
# stays open in pair 3, so every revision runs it to max_runs, pair 2 too
assert rounds == {"spin": 6, "noisy": 8}, rounds
assert a["verdict"] == "pass" and b["verdict"] == "fail"
PY
expect "every round runs every revision of a scenario back to back, the first rotating" python3 - "$T/stderr" <<'PY'
import re, sys
runs = re.findall(r"^spin-gate: \[(\d)/2\] (round|warm-up) (\d+) (\S+): wall", open(sys.argv[1]).read(), re.M)
revs = ["1.0", "1.0.1", "2.0"]
assert len(runs) == 3 * (2 + 6 + 8), len(runs)  # warm-up: both scenarios
firsts = {}
for k in range(0, len(runs), 3):
    group = runs[k:k + 3]
    assert len({(s, w, r) for s, w, r, _ in group}) == 1, group
    scen, kind, rnd, first = group[0]
    i = revs.index(first)
    assert [g[3] for g in group] == [revs[(i + j) % 3] for j in range(3)], group
    assert i == (int(rnd) + int(scen) - 1) % 3, group
    if kind == "round" and int(rnd) <= 6:
        firsts.setdefault(scen, []).append(first)
for scen, f in firsts.items():
    assert sorted(f) == sorted(revs * 2), (scen, f)
PY
for pair in 2-1.0.1:0 3-2.0:1; do
	dir=${pair%:*} want=${pair#*:}
	run_bin judge --thresholds "$T/thresholds.json" --out "$T/rejudged-$dir" "$OUT/$dir/results.json"
	expect "judge reproduces pair $dir (exit $want, the same checks)" bash -c "[ $rc -eq $want ] &&
		python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a[\"checks\"] == b[\"checks\"] and a[\"verdict\"] == b[\"verdict\"]' '$OUT/$dir/results.json' '$T/rejudged-$dir/results.json'"
done

# a second compare over the same OUT keeps the first in OUT/previous
compare "$T/out" 1.0 2.0 --only kind=spin --runs 3 --max-runs 3 --quiet
expect "a second compare: exit 0" test "$rc" -eq 0
expect "the first compare's files are in OUT/previous" bash -c "
	test -s '$OUT/previous/compare.md' && test -s '$OUT/previous/3-2.0/results.json' &&
	test -e '$OUT/previous/logs/scenario-1-r3.log' &&
	test ! -e '$OUT/3-2.0' && test -s '$OUT/2-2.0/results.json'"
expect "--quiet: no progress lines" fails grep -q 'round 1' "$T/stderr"

# interrupted: every pair's results.json keeps what was measured, marked
# incomplete, and compare.md is written from it (runs slowed to 0.3 s)
printf '#!/bin/sh\n[ "${1:-}" = --version ] || sleep 0.3\nexec "%s" "$@"\n' \
	"$SUITE/fake-hyperfine" >"$T/slow-hyperfine"
chmod +x "$T/slow-hyperfine"
"$BIN" compare 1.0 1.0.1 2.0 --suite "$SUITE" --thresholds "$T/thresholds.json" --cache "$T/cache" \
	--out "$T/o-int" --warmup 0 --hyperfine "$T/slow-hyperfine" >"$T/stdout" 2>"$T/stderr" &
pid=$!
for _ in $(seq 100); do grep -q 'round 2 ' "$T/stderr" && break; sleep 0.2; done
kill -TERM "$pid"
wait "$pid"
rc=$?
expect_rc "SIGTERM: exit 143, said" 143
expect "SIGTERM: exit 143, said" bash -c "grep -q 'interrupted by SIGTERM: results so far are in' '$T/stderr'"
expect "SIGTERM: each pair's results kept, marked incomplete, and the tables written" python3 - "$T/o-int" <<'PY'
import json, sys
for d in ("2-1.0.1", "3-2.0"):
    r = json.load(open(f"{sys.argv[1]}/{d}/results.json"))
    assert r["complete"] is False and r["stopped_by"] == "SIGTERM", r["complete"]
    assert sum(len(s["samples"]["head"]) for s in r["scenarios"]) >= 2, d
assert "stopped by SIGTERM" in open(sys.argv[1] + "/compare.md").read()
PY

# refusals: exit 2 before anything is prepared or measured
compare "$T/o-one" 1.0
expect_rc "one revision: exit 2" 2
expect "one revision: exit 2" bash -c "grep -q 'give at least 2 revisions to compare (1 given)' '$T/stderr'"
compare "$T/o-twice" 1.0 2.0 1.0
expect_rc "the same revision twice: exit 2" 2
expect "the same revision twice: exit 2" bash -c "grep -q \"revision '1.0' is given twice\" '$T/stderr' && test ! -e '$T/o-twice'"
compare "$T/o-nine" 1 2 3 4 5 6 7 8 9
expect_rc "nine revisions: exit 2" 2
expect "nine revisions: exit 2" bash -c "grep -q 'at most 8 revisions (9 given)' '$T/stderr'"
compare "$T/o-alias" 1.0 v1.0
expect_rc "two names of one revision: exit 2" 2
expect "two names of one revision: exit 2" bash -c "grep -q \"compare: '1.0' and 'v1.0' are the same revision (1.0)\" '$T/stderr' && test ! -e '$T/o-alias/compare.md'"
compare "$T/o-unknown" 1.0 2.0 typo-rev
expect_rc "an unknown revision: exit 4, named" 4
expect "an unknown revision: exit 4, named" bash -c "grep -q \"unknown revision 'typo-rev'\" '$T/stderr' && test ! -e '$T/o-unknown/compare.md'"
expect "an unknown revision: found before 1.0 and 2.0 are prepared (or taken from the cache)" bash -c "! grep -Eq 'preparing|using cached' '$T/stderr'"

# git revisions: every one is resolved (git rev-parse) before any is
# prepared, so an unknown third revision is refused before the first two's
# setups run, and two names of one commit likewise.
GSUITE=$T/gsuite
mkdir -p "$GSUITE"
cp "$SUITE/setup.sh" "$SUITE/fake-hyperfine" "$GSUITE/"
sed 's|"setup": {|"setup": { "git": ["${suite_dir}/setup.sh", "${commit}", "${env}"],|' \
	"$SUITE/suite.json" >"$GSUITE/suite.json"
bash "$ROOT/tests/fixtures/spinpkg-repo.sh" "$T/repo" spin park
gcompare() { # gcompare OUT REV...
	OUT=$1
	shift
	run_bin compare --repo "$T/repo" --suite "$GSUITE" --thresholds "$T/thresholds.json" \
		--out "$OUT" --warmup 1 --cache "$T/gcache" --hyperfine "$GSUITE/fake-hyperfine" \
		--rebuild "$@"
}
gcompare "$T/o-git-unknown" spin park nosuchrev
expect_rc "git: an unknown third revision: exit 4, the only message" 4
expect "git: an unknown third revision: exit 4, the only message" bash -c "[ \"\$(cat '$T/stderr')\" = \"spin-gate: error: unknown revision 'nosuchrev' in repository '$T/repo'\" ]"
expect "git: with an unknown third revision, none is prepared" bash -c "! grep -q 'preparing' '$T/stderr' && test ! -e '$T/gcache/envs' && test ! -e '$T/gcache/worktrees' && test ! -e '$T/o-git-unknown/logs/setup.log'"
gcompare "$T/o-git-alias" park spin HEAD
expect_rc "git: two names of one commit: exit 2 before any is prepared" 2
expect "git: two names of one commit: exit 2 before any is prepared" bash -c "grep -q \"compare: 'park' and 'HEAD' are the same revision\" '$T/stderr' && ! grep -q 'preparing' '$T/stderr' && test ! -e '$T/gcache/envs'"
gcompare "$T/o-git" spin park
expect_rc "git: two known revisions are prepared and compared (exit 0)" 0
expect "git: two known revisions are prepared and compared (exit 0)" bash -c "[ \$(grep -c \"preparing git\" '$T/stderr') -eq 2 ] && test -s '$T/o-git/compare.md'"

run_bin compare --help
expect_rc "--help documents the limit and the exit codes" 0
expect "--help documents the limit and the exit codes" bash -c "grep -q 'spin-gate compare REV1 REV2' '$T/stdout' && grep -q '0 compared' '$T/stdout'"

e2e_done
