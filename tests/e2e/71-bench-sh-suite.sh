#!/usr/bin/env bash
# bench/sh-suite (bench/history-sh.sh's suite) without the network: its git
# setup installs the sh release that the commit's requirements.txt names,
# from a directory of release files (SPIN_GATE_SH_DISTS) holding two fake sh
# releases, a wheel and an sdist (a tiny sh.py that runs the command with
# subprocess). Two commits are recorded by the real gate into a history
# (--only seconds=0.1 keeps each run short) and read back; the setup's
# refusals (no sh== line, a release file that holds another version) exit 1
# with their messages.
. "$(dirname "$0")/lib.sh"

dists=$T/dists
mkdir -p "$dists"
fake_sh() { # fake_sh VERSION: a sh.py claiming VERSION
	cat <<PY
__version__ = "$1"
import subprocess


class _Proc:
    def __init__(self, argv, bg):
        self.p = subprocess.Popen(argv)
        self.exit_code = None
        if not bg:
            self.wait()

    def wait(self):
        self.exit_code = self.p.wait()
        return self


class Command:
    def __init__(self, path):
        self.path = path

    def __call__(self, *args, _bg=False):
        return _Proc([self.path, *args], _bg)
PY
}
python3 - "$dists" "$(fake_sh 9.9.1)" "$(fake_sh 9.9.2)" "$(fake_sh 9.9.0)" <<'PY'
import io, sys, tarfile, zipfile
d, v1, v2, v0 = sys.argv[1:5]
with zipfile.ZipFile(f"{d}/sh-9.9.1-py2.py3-none-any.whl", "w") as z:
    z.writestr("sh.py", v1)
    z.writestr("sh-9.9.1.dist-info/METADATA", "Name: sh\n")
with tarfile.open(f"{d}/sh-9.9.2.tar.gz", "w:gz") as t:
    for name, text in (("sh-9.9.2/test/sh.py", "raise SystemExit('not this one')\n"),
                       ("sh-9.9.2/sh.py", v2)):
        b = text.encode()
        ti = tarfile.TarInfo(name)
        ti.size = len(b)
        t.addfile(ti, io.BytesIO(b))
with zipfile.ZipFile(f"{d}/sh-9.9.3-py2.py3-none-any.whl", "w") as z:
    z.writestr("sh.py", v0)  # a release file that is not what it says
PY

repo=$T/repo
git init -q -b main "$repo"
for v in 9.9.1 9.9.2; do
	echo "sh==$v" >"$repo/requirements.txt"
	git -C "$repo" add -A
	git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m "sh $v"
done
export SPIN_GATE_SH_DISTS=$dists

for rev in main~1 main; do
	run_bin record --repo "$repo" --rev "$rev" --suite "$ROOT/bench/sh-suite" \
		--thresholds "$ROOT/thresholds.json" --runs 2 --max-runs 2 --warmup 0 \
		--only seconds=0.1 --history "$T/h" --out "$T/out" --cache "$T/cache" --quiet
	expect_rc "record $rev: exit 0" 0
done
expect "the sdist's top sh.py, not a nested one" grep -q '"runtime":.*sh 9.9.2"' "$T/out/results.json"
expect "the wheel's sh.py" grep -q '"runtime":.*sh 9.9.1"' "$T/out/previous/results.json"
run_bin history --history "$T/h" --thresholds "$ROOT/thresholds.json" --json
expect_rc "history: exit 0" 0
expect "history reads both records" python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))
assert h["records"] == 2, h["records"]
cpu = [s for s in h["series"] if s["metric"] == "cpu"]
assert len(cpu) == 1 and cpu[0]["points"] == 2, cpu' "$T/stdout"

wt=$T/wt
mkdir -p "$wt"
setup() { bash "$ROOT/bench/sh-suite/setup.sh" "$wt" "$T/env" >"$T/stdout" 2>"$T/stderr"; rc=$?; }
echo "sh>=1.12" >"$wt/requirements.txt"
setup
expect_rc "no sh== line: exit 1" 1
expect "no sh== line: says so" grep -qx "setup.sh: error: '$wt/requirements.txt' names no 'sh==VERSION'" "$T/stderr"
echo "sh==9.9.3" >"$wt/requirements.txt"
setup
expect_rc "another version inside: exit 1" 1
expect "another version inside: says so" \
	grep -qx "setup.sh: error: '$dists/sh-9.9.3-py2.py3-none-any.whl' is sh 9.9.0, not 9.9.3" "$T/stderr"
rm "$wt/requirements.txt"
setup
expect_rc "no requirements.txt: exit 1" 1
expect "no requirements.txt: says so" grep -qx "setup.sh: error: '$wt' has no requirements.txt" "$T/stderr"
e2e_done
