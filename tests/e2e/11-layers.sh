#!/usr/bin/env bash
# make layers (scripts/layers.sh): the tree passes, and an include planted
# up the pipeline, sideways between measure and github, or of proc.h into
# judge fails with the one line that names it.
. "$(dirname "$0")/lib.sh"

layers() { bash "$ROOT/scripts/layers.sh" "$@" >"$T/stdout" 2>"$T/stderr"; rc=$?; }

layers "$ROOT/src"
expect_rc "the tree's includes point down" 0
expect "it says so" grep -qx "layers: every include of $ROOT/src points down" "$T/stdout"

plant() { # plant FILE HEADER: a copy of src with one more include in FILE
	rm -rf "$T/src"
	cp -r "$ROOT/src" "$T/src"
	printf '#include "%s"\n' "$2" >>"$T/src/$1"
}
plant model/results.c gate.h
layers "$T/src"
expect_rc "model including gate: exit 1" 1
expect "model including gate: named" grep -qx "$T/src/model/results.c: includes gate/gate.h: gate is above model" "$T/stdout"
plant measure/runenv.c post.h
layers "$T/src"
expect_rc "measure including github: exit 1" 1
expect "measure including github: named" grep -qx "$T/src/measure/runenv.c: includes github/post.h: github and measure stand side by side" "$T/stdout"
plant judge/judge.c proc.h
layers "$T/src"
expect_rc "judge including proc.h: exit 1" 1
expect "judge including proc.h: named" grep -qx "$T/src/judge/judge.c: includes lib/proc.h: judge runs nothing" "$T/stdout"
plant lib/buf.c nothere.h
layers "$T/src"
expect_rc "a header no folder holds: exit 1" 1
e2e_done
