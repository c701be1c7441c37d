#!/usr/bin/env bash
# spin-gate record: one revision measured (runs timed by the fake hyperfine of
# tests/fixtures/fakesuite), OUT/record.json written and added to a history:
# a branch of the user's repository pushed to a local bare remote, or a plain
# directory. The writers: two clones adding at once both land; a push
# refused three times by a pre-receive hook lands once; a push refused every
# time loses nothing (the record stays in OUT, exit 5). The user's checkout
# (branch, HEAD, index, status, refs) is the same before and after.
. "$(dirname "$0")/lib.sh"

SUITE=$ROOT/tests/fixtures/fakesuite
cat >"$T/thresholds.json" <<'JSON'
{ "version": 1, "confidence": 0.95, "runs": 3, "max_runs": 8,
  "checks": [ { "name": "cpu", "where": { "kind": "spin" }, "metric": "cpu", "rule": "ratio_max", "value": 2 } ] }
JSON
msg() { grep -qF -- "$1" "$T/stderr"; }
g() { git -c init.defaultBranch=main -c user.name=t -c user.email=t@t "$@"; }
files_on_branch() { git -C "$T/remote.git" ls-tree --name-only spin-gate-history records/ 2>/dev/null | wc -l; }

# the remote and the user's clone, mid-work: a staged file, a changed one, an untracked one
g init -q --bare "$T/remote.git"
g init -q "$T/user"
(cd "$T/user" && echo a >a && echo b >b && g add a b && g commit -qm one &&
	g remote add origin ../remote.git && g push -q origin main &&
	echo staged >>a && g add a && echo changed >>b && echo new >c)
snapshot() {
	(cd "$T/user" && git symbolic-ref HEAD && git rev-parse HEAD &&
		git status --porcelain=v2 --branch --untracked-files=all && sha256sum .git/index &&
		git for-each-ref && git stash list && cat a b c)
}
snapshot >"$T/before"

# --- record on the branch, from the user's checkout ---
cd "$T/user" # no --repo: the current directory's repository
run_bin record --rev 1.0 --suite "$SUITE" --thresholds "$T/thresholds.json" \
	--out "$T/out" --cache "$T/cache" --hyperfine "$SUITE/fake-hyperfine" --quiet \
	--branch spin-gate-history --format bmf
cd "$T"
expect_rc "record --branch: exit 0" 0
expect "record --format bmf: OUT/export-bmf.json is export's of OUT/results.json (base: the revision)" \
	bash -c "'$BIN' export --format bmf '$T/out/results.json' | cmp - '$T/out/export-bmf.json' &&
		grep -q '\\[base\\]' '$T/out/export-bmf.json'"
snapshot >"$T/after"
expect "the user's branch, HEAD, index, status and refs are as they were" test_cmp "$T/before" "$T/after"
expect "the record is on the remote's branch, byte for byte" bash -c "
	f=\$(git -C '$T/remote.git' ls-tree --name-only spin-gate-history records/) &&
	[ \$(echo \"\$f\" | wc -l) = 1 ] &&
	git -C '$T/remote.git' show spin-gate-history:\"\$f\" | cmp - '$T/out/record.json'"
expect "record says where it went and how big the record is" bash -c "
	grep -Eq '^spin-gate: wrote $T/out/record.json \([0-9]+ bytes, 2 scenario\(s\)\)$' '$T/stderr' &&
	grep -qxF \"spin-gate: stored the record on origin's branch 'spin-gate-history'\" '$T/stderr'"
expect "record.json: medians, intervals, n; the steady scenario stops at --runs, the vague one goes on" \
	python3 - "$T/out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1] + "/record.json"))
assert r["schema"] == "spin-gate/record" and r["version"] == 1 and r["rev"] == "1.0", r
assert r["commit"] is None and r["runner"]["hyperfine"] == "hyperfine 1.15.0", r
sc = {s["name"]: s for s in r["scenarios"]}
spin, noisy = sc["kind=spin"], sc["kind=noisy"]
assert spin["rounds"] == 3 and noisy["rounds"] == 8, (spin["rounds"], noisy["rounds"])
assert spin["metrics"]["cpu"] == {"median": 0.1, "lo": 0.1, "hi": 0.1, "n": 3}, spin["metrics"]["cpu"]
assert noisy["metrics"]["wall"] == {"median": 1.15, "lo": 1, "hi": 1.3, "n": 8}, noisy["metrics"]["wall"]
res = json.load(open(sys.argv[1] + "/results.json"))
assert res["complete"] and res["revisions"]["base"]["spec"] == "1.0", res["revisions"]
for s in res["scenarios"]:
    assert s["samples"]["head"] == [], s["name"]
    assert len(s["samples"]["base"]) == 1 + sc[s["name"]]["rounds"], s["name"]
PY

# --- a plain directory; --add stores what is already written ---
run_bin record --add "$T/out/record.json" --history "$T/hist"
expect_rc "record --add --history: exit 0" 0
expect "one file in the directory, the record" bash -c "
	[ \$(ls '$T/hist' | wc -l) = 1 ] && cmp '$T/hist'/*.json '$T/out/record.json'"

# --- two writers at once, from two clones with their own caches ---
g clone -q "$T/remote.git" "$T/w1"
g clone -q --depth 1 "file://$T/remote.git" "$T/w2" # a shallow one, as actions/checkout makes
for w in 1 2; do
	(cd "$T/w$w" && for i in 1 2 3; do
		"$BIN" record --add "$T/out/record.json" --branch spin-gate-history \
			--cache "$T/cache$w" >>"$T/w$w.log" 2>&1 || echo "exit $?" >>"$T/w$w.log"
	done) &
done
wait
expect "two writers (one a shallow clone) adding three records each at once: none fails" fails grep '^exit' "$T/w1.log" "$T/w2.log"
expect "... and every record lands" test "$(files_on_branch)" = 7
expect "the history is a line: no merge commits" test \
	"$(git -C "$T/remote.git" rev-list --min-parents=2 spin-gate-history | wc -l)" = 0

# --- a push refused three times, then accepted: it lands once ---
cat >"$T/remote.git/hooks/pre-receive" <<SH
#!/bin/sh
n=\$(cat "$T/pushes" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$T/pushes"
[ \$n -gt 3 ] || { echo "busy (\$n)" >&2; exit 1; }
SH
chmod +x "$T/remote.git/hooks/pre-receive"
# a relative cache (cwd $T): the worktree must not land inside the user's checkout
run_bin record --add "$T/out/record.json" --branch spin-gate-history --repo "$T/user" --cache rel-cache
expect_rc "refused three times, then accepted: exit 0" 0
expect "four pushes, and the record is on the branch once" test "$(cat "$T/pushes"):$(files_on_branch)" = "4:8"
expect "each refusal is said, with the remote's reason" bash -c "
	[ \$(grep -c \"^spin-gate: the push to origin's branch 'spin-gate-history' was rejected\" '$T/stderr') = 3 ] &&
	grep -qF 'busy (3)' '$T/stderr' && grep -qF 'trying again (4 of 6)' '$T/stderr'"

# --- refused every time: nothing lost, exit 5 ---
printf '#!/bin/sh\necho "closed" >&2\nexit 1\n' >"$T/remote.git/hooks/pre-receive"
sum=$(sha256sum <"$T/out/record.json")
run_bin record --add "$T/out/record.json" --branch spin-gate-history --repo "$T/user" --cache "$T/cache"
expect_rc "refused every time: exit 5" 5
tail -n 2 "$T/stderr" >"$T/tail"
printf '%s\n' "spin-gate: error: cannot push the record to origin's branch 'spin-gate-history': rejected 6 times, the last: remote: closed" \
	"spin-gate: error: the record was not stored: it stays in '$T/out/record.json'; store it later with 'spin-gate record --add $T/out/record.json --branch spin-gate-history'" >"$T/want"
expect "it says so, and where the record is" test_cmp "$T/want" "$T/tail"
expect "the record in OUT is untouched, the branch unchanged" \
	test "$(sha256sum <"$T/out/record.json"):$(files_on_branch)" = "$sum:8"
snapshot >"$T/after"
expect "the user's checkout is still as it was" test_cmp "$T/before" "$T/after"

# --- a scenario whose run fails: recorded and stored with its error, exit 4 ---
mkdir -p "$T/failsuite"
cp "$SUITE/suite.json" "$SUITE/setup.sh" "$T/failsuite/"
sed -e 's/"exit_codes":\[0\]/"exit_codes":[%s]/' \
	-e 's/^\t"\$wall" "\$cpu" >/\t"$wall" "$cpu" "$([ "$kind" = noisy ] \&\& echo 1 || echo 0)" >/' \
	"$SUITE/fake-hyperfine" >"$T/failsuite/fake-hyperfine"
chmod +x "$T/failsuite/fake-hyperfine"
run_bin record --rev 1.0 --suite "$T/failsuite" --thresholds "$T/thresholds.json" --out "$T/out-fail" \
	--cache "$T/cache" --hyperfine "$T/failsuite/fake-hyperfine" --quiet --history "$T/hist-fail"
expect_rc "a scenario's run failed: exit 4" 4
expect "... its record is stored, the failed scenario with its error and no figure" python3 - "$T/hist-fail" <<'PY'
import glob, json, sys
(f,) = glob.glob(sys.argv[1] + "/*.json")
sc = {s["name"]: s for s in json.load(open(f))["scenarios"]}
assert sc["kind=noisy"]["error"].startswith("exit code 1 in 1.0 warm-up 1"), sc["kind=noisy"]["error"]
assert sc["kind=noisy"]["metrics"] == {} and sc["kind=spin"]["error"] is None, sc
assert sc["kind=spin"]["rounds"] == 3, sc["kind=spin"]
PY

# --- refusals ---
run_bin record --rev 1.0 --history "$T/h" --branch x
expect_rc "--history with --branch: exit 2" 2
expect "... says why" msg "spin-gate: error: --history and --branch exclude each other"
run_bin record --add "$T/out/record.json" --branch spin-gate-history --repo "$T" --cache "$T/cache"
expect_rc "--branch outside a repository: exit 2" 2
expect "... says why" msg "spin-gate: error: '$T' is not a git repository (the history's branch lives in one)"
run_bin record --add "$T/out/record.json" --branch h --remote nowhere --repo "$T/user" --cache "$T/cache"
expect_rc "an unknown remote: exit 2" 2
expect "... says why" msg "spin-gate: error: repository '$T/user' has no remote 'nowhere'"
run_bin record --rev 1.0 --add "$T/out/record.json" --history "$T/h"
expect_rc "--rev with --add: exit 2" 2
e2e_done
