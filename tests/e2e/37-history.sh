#!/usr/bin/env bash
# `spin-gate history` on a directory of generated records (history-gen.py)
# with a known step: idle CPU x5 at commit c12 of 24. --json names that
# change point at the right commit and no other; a corrupt and a foreign
# record file are skipped with a warning naming each; history.html is
# self-contained (no script, no URL but the commit links) with one SVG per
# series; records of a second runner kind make series of their own; --only
# keeps the scenarios asked for; usage and I/O errors have their codes; a
# mistyped --history DIR is exit 2, not an empty history.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

sha() { printf 'c%s' "$1" | sha1sum | cut -c1-40; }
H=$T/history
python3 tests/e2e/history-gen.py "$H" 24 12
printf '{"schema": "spin-gate/record", "version": 1, "rev": ' >"$H/zz-corrupt.json"
printf '{"schema": "someone-else/v3"}\n' >"$H/zz-foreign.json"
printf 'not a record\n' >"$H/README"

run_bin history --history "$H" --json
expect_rc "--json: exit 0" 0
cat >"$T/check.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
want_commit, want_prev = sys.argv[2], sys.argv[3]
assert d["schema"] == "spin-gate/history" and d["records"] == 24, d["records"]
assert d["runner_kinds"] == ["2 x Test CPU"] and d["split"] == "runner_kind"
by = {(s["scenario"], s["metric"]): s for s in d["series"]}
assert sorted(by) == [("mode=busy", "cpu_share"), ("mode=idle", "cpu"), ("mode=idle", "wall")], sorted(by)
cps = by[("mode=idle", "cpu")]["change_points"]
assert len(cps) == 1, cps
cp = cps[0]
assert cp["commit"] == want_commit and cp["previous"] == want_prev, cp
assert cp["index"] == 12 and cp["bad"] is True and abs(cp["magnitude"] - 4) < 0.05, cp
assert abs(cp["before_segment"]["median"] - 0.2) < 0.01 and abs(cp["after_segment"]["median"] - 1.0) < 0.01
assert cp["runner_before"] == cp["runner_after"] == "2 x Test CPU"
assert by[("mode=idle", "cpu")]["bad"] == "up" and by[("mode=busy", "cpu_share")]["bad"] == "down"
assert all(not s["change_points"] for k, s in by.items() if k != ("mode=idle", "cpu"))
assert all(s["points"] == 24 for s in d["series"])
PY
expect "--json: one change point, idle cpu at c12 (after c11), up x5, nothing elsewhere" \
	python3 "$T/check.py" "$T/stdout" "$(sha 12)" "$(sha 11)"
expect "a corrupt record is skipped with a warning naming it" grep -q "warning: .*zz-corrupt.json" "$T/stderr"
expect "a foreign record is skipped with a warning naming it" grep -q "warning: .*zz-foreign.json" "$T/stderr"
expect "a file not ending in .json is not read" fails grep -q README "$T/stderr"

run_bin history --history "$H"
expect_rc "text: exit 0" 0
printf 'mode=idle cpu: %s..%s 0.200 s -> 1.00 s (+400.0%%, p=%s) regression\n' \
	"$(sha 11 | cut -c1-12)" "$(sha 12 | cut -c1-12)" "$(sed -n 's/.*p=\([^)]*\)).*/\1/p' "$T/stdout")" >"$T/want"
expect "text: one line naming the range, before and after" test_cmp "$T/want" "$T/stdout"

# history.html: self-contained, one SVG per series, commits linked
GITHUB_SERVER_URL=https://github.com GITHUB_REPOSITORY=octo/demo run_bin history --history "$H" --report "$T/history.html"
expect_rc "--report: exit 0" 0
cat >"$T/page.py" <<'PY'
import re, sys
from html.parser import HTMLParser
text = open(sys.argv[1], encoding="utf-8").read()
step = sys.argv[2]
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.svgs = []; self.cps = []; self.pts = 0; self.links = []; self.tags = set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs); self.tags.add(tag); cls = (a.get("class") or "").split()
        if tag == "svg" and "plot" in cls: self.svgs.append(a.get("data-series"))
        if "cp" in cls: self.cps.append(a.get("data-commit"))
        if "pt" in cls: self.pts += 1
        if tag == "a" and a["href"].startswith("http"): self.links.append(a["href"])
p = P(); p.feed(text)
assert "script" not in p.tags and "<script" not in text.lower(), "script"
assert p.svgs == ["0", "1", "2"], p.svgs
assert p.cps == [step], p.cps
assert p.pts == 72, p.pts
urls = re.findall(r"https?://[^\"'<> ]+", text)
assert urls and all(re.fullmatch(r"https://github\.com/octo/demo/commit/[0-9a-f]{40}", u) for u in urls), set(urls) - set(p.links)
assert len(set(p.links)) == 24, len(set(p.links))
assert "src=" not in text and "@import" not in text and "url(" not in text
PY
expect "history.html: no script, one SVG per series, the change point marked, only commit links" \
	python3 "$T/page.py" "$T/history.html" "$(sha 12)"
run_bin history --history "$H" --report "$T/nolinks.html"
expect "history.html without GITHUB_SERVER_URL/REPOSITORY: no URL at all" fails grep -q 'http' "$T/nolinks.html"
expect "... and no link but to its own sections" fails grep -q '<a href="[^#]' "$T/nolinks.html"

# a second runner kind: its own series, the first kind's change point unmoved
python3 tests/e2e/history-gen.py "$H" 6 -1 --kind "4 x Other CPU" --start 24
run_bin history --history "$H" --json --report "$T/kinds.html"
cat >"$T/kinds.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["runner_kinds"] == ["2 x Test CPU", "4 x Other CPU"], d["runner_kinds"]
assert len(d["series"]) == 6
idle = [s for s in d["series"] if s["scenario"] == "mode=idle" and s["metric"] == "cpu"]
assert [(s["runner_kind"], s["points"]) for s in idle] == [("2 x Test CPU", 24), ("4 x Other CPU", 6)], idle
assert [c["commit"] for c in idle[0]["change_points"]] == [sys.argv[2]] and not idle[1]["change_points"]
PY
expect "two runner kinds: split, never mixed; the change point stays at c12" python3 "$T/kinds.py" "$T/stdout" "$(sha 12)"
expect "history.html says the kinds were kept apart" grep -q '2 runner kinds, kept apart' "$T/kinds.html"

# thresholds.json's "history" levels reach the detector: a step of +400% is no change
# point when at least +500% is asked of seconds
python3 - "$ROOT/thresholds.json" "$T/levels.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["history"] = {"max_pvalue": 0.0001, "min_magnitude": {"seconds": 5.0}}
json.dump(d, open(sys.argv[2], "w"))
PY
run_bin history --history "$H" --json --thresholds "$T/levels.json"
expect "history levels: the options say so, and the x5 step is below them" python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
cpu = [s for s in d["series"] if s["metric"] == "cpu"]
assert cpu and all(s["options"]["max_pvalue"] == 0.0001 and s["options"]["min_magnitude"] == 5.0 and not s["change_points"] for s in cpu), cpu
share = [s for s in d["series"] if s["metric"] == "cpu_share"]
assert share and all(s["options"]["min_magnitude"] == 0.1 for s in share), share' "$T/stdout"

run_bin history --history "$H" --json --only mode=busy
expect "--only mode=busy: that scenario's series only" python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); assert {s["scenario"] for s in d["series"]} == {"mode=busy"}' "$T/stdout"

# judge --history: the comment places head's idle CPU among main's last 20 records
SC="input=partitioned long_input=True heavy_map=False processes=2"
python3 tests/e2e/history-gen.py "$T/main" 24 12 --idle "$SC"
cp tests/fixtures/results-spin.json "$T/spin.json"
run_bin judge "$T/spin.json" --out "$T/j" --history "$T/main"
expect_rc "judge --history: the verdict's exit code (1, a check failed)" 1
expect "judge --history: one line for the idle scenario, head among main's last 20" \
	grep -qx -- "- \`$SC\`: head [0-9.]* m\?s; main's last 20: 0.190-1.01 s (recorded on 2 x Test CPU)" "$T/j/verdict.md"
expect "... under its heading, once" test "$(grep -c "^Idle CPU against main's history:$" "$T/j/verdict.md")" = 1
run_bin judge "$T/spin.json" --out "$T/j2"
expect "judge without --history: no such line" fails grep -q "main's history" "$T/j2/verdict.md"

# run and compare --history, on the fake suite (its spin scenario made idle): a line per pair
mkdir "$T/fs"
cp tests/fixtures/fakesuite/* "$T/fs/"
python3 - "$T/fs/suite.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["roles"] = [{"role": "idle", "where": {"kind": "spin"}}]
json.dump(d, open(sys.argv[1], "w"))
PY
printf '{"version": 1, "runs": 3, "max_runs": 4, "checks": [{"name": "cpu", "role": "idle", "metric": "cpu", "rule": "ratio_max", "value": 2}]}\n' >"$T/fs/thresholds.json"
python3 tests/e2e/history-gen.py "$T/fmain" 24 -1 --idle kind=spin
FAKE=(--suite "$T/fs" --thresholds "$T/fs/thresholds.json" --warmup 1 --cache "$T/cache" --hyperfine "$T/fs/fake-hyperfine" --only kind=spin --history "$T/fmain")
run_bin run "${FAKE[@]}" --out "$T/rout" --base 1.0 --head 1.0 --no-profile
expect_rc "run --history: exit 0 (pass)" 0
expect "run --history: head's 0.100 s among main's last 20" grep -qx -- "- \`kind=spin\`: head 0.100 s; main's last 20: 0.190-0.210 s (recorded on 2 x Test CPU)" "$T/rout/verdict.md"
run_bin compare "${FAKE[@]}" --out "$T/cout" 1.0 1.0.1 2.0
expect_rc "compare --history: exit 0" 0
expect "compare --history: each pair's head placed (0.100 s, then 1.00 s)" bash -c "
	grep -qx -- '- \`kind=spin\`: head 0.100 s; main.s last 20: 0.190-0.210 s (recorded on 2 x Test CPU)' '$T/cout/2-1.0.1/verdict.md' &&
	grep -qx -- '- \`kind=spin\`: head 1.00 s; main.s last 20: 0.190-0.210 s (recorded on 2 x Test CPU)' '$T/cout/3-2.0/verdict.md'"

run_bin history --history "$H" --branch main
expect_rc "--history with --branch: exit 2" 2
expect "... says they exclude each other" grep -q 'exclude each other' "$T/stderr"
run_bin history --history "$H" --thresholds "$T/none.json"
expect_rc "unreadable thresholds: exit 2" 2
run_bin history --history "$H" --report "$T/no/such/dir/h.html"
expect_rc "a page that cannot be written: exit 4" 4
run_bin history --history "$H" --only nonsense
expect_rc "--only without NAME=VALUE: exit 2" 2
run_bin history --history "$T/histroy"
expect_rc "a history directory that does not exist: exit 2" 2
expect "... naming it and what writes one" grep -qxF \
	"spin-gate: error: no history at '$T/histroy' (spin-gate record --history $T/histroy writes one)" "$T/stderr"
expect "... and made nothing" test ! -e "$T/histroy"

e2e_done
