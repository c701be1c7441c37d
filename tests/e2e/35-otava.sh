#!/usr/bin/env bash
# The change-point detector (src/history/changepoint.c, through
# build/tests/cp_series) against Apache Otava 0.8.0, the implementation it
# follows, on the same series (tests/tools/cp_compare.py): synthetic steps at
# real gates' noise, tiny, constant and random series, and every scenario's
# runs in the repository's real results.json. With Otava's merge the same
# candidates, change points and p-values; with spin-gate's, the same change
# points within one index, or a difference that Otava's merge run in C
# explains; with spin-gate's defaults, a lone outlier is no change point
# (min_segment; docs/history.md). A detector told another window must differ.
# Otava lives in its own venv (scripts/deps.sh otava, cached).
. "$(dirname "$0")/lib.sh"

bash "$ROOT/scripts/deps.sh" otava >"$T/deps.out" 2>&1
py="${SPIN_GATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spin-gate}/tools/otava-0.8.0/bin/python3"
if ! [ -x "$py" ]; then
	echo "ok - # skip apache-otava 0.8.0 cannot be installed here: $(tail -1 "$T/deps.out")"
	e2e_done
fi
cp_series="$(dirname "$BIN")/tests/cp_series"
if ! [ -x "$cp_series" ]; then
	make -s -C "$ROOT" "${cp_series#"$ROOT"/}" >"$T/make.out" 2>&1 || cat "$T/make.out"
fi

compare() { python3 "$ROOT/tests/tools/cp_compare.py" "$py" "$cp_series" "$@" >"$T/stdout" 2>"$T/stderr"; rc=$?; }

compare
expect_rc "the detector agrees with Otava 0.8.0" 0
expect "with Otava's merge, every series the same" \
	grep -qx "cp_compare: 0 differ with Otava's merge, 0 unexplained with spin-gate's" "$T/stdout"
for line in "quiet: 18 series, 18 the same as Otava's within one index, 0 differ by the merge's retest" \
	"loaded: 36 series, 36 the same as Otava's within one index, 0 differ by the merge's retest" \
	"tiny: 4 series, 4 the same as Otava's within one index, 0 differ by the merge's retest" \
	"constant: 1 series, 1 the same as Otava's within one index, 0 differ by the merge's retest" \
	"merge: 1 series, 0 the same as Otava's within one index, 1 differ by the merge's retest"; do
	expect "${line%%:*} series: $line" grep -qxF "$line" "$T/stdout"
done
# every scenario's wall and cpu of every results.json in tests/ (the count
# grows with tests/judge): each the same as Otava's or explained by the retest
expect "recorded series: every one the same as Otava's or differing by the retest alone" \
	python3 - "$T/stdout" <<'PY'
import re, sys
m = [re.match(r"recorded: (\d+) series, (\d+) the same as Otava's within one index, (\d+) differ by the merge's retest$", l)
     for l in open(sys.argv[1]).read().splitlines()]
m = [x for x in m if x]
n, same, retest = map(int, m[0].groups())
sys.exit(not (n >= 44 and same + retest == n))
PY
expect "the merge's difference on a real gate: bytewax's busy wall, a real 0.88x step" \
	grep -qxF "merge retest: recorded-results-fixed-1-wall: spin-gate [5], Otava []" "$T/stdout"

expect "a lone outlier: Otava reports it and the commit after, spin-gate nothing (3 records each side)" \
	grep -qxF "min segment: outlier: spin-gate [], Otava [39, 40]" "$T/stdout"

compare --c-args "--window 40" --only quiet
expect_rc "a detector with another window: exit 1" 1
expect "it says how many differ" grep -qE "^cp_compare: [1-9][0-9]* differ with Otava's merge" "$T/stdout"
e2e_done
