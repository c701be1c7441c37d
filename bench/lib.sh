# shellcheck shell=bash
# bench/lib.sh: what bench/run.sh and bench/bytewax.sh share (sourced, not
# run): the error helper, the background loads, the trial record.

die() {
	echo "bench: error: $*" >&2
	exit 1
}

# load_args KIND SEED: bench/load's arguments for a kind of load (none for
# quiet). steady: one process busy on a core for the whole gate run;
# intermittent: one process busy half the time in bursts of about a second
# (cycles of 1.5-2.5 s, seeded); loaded: the synthetic subject's load, one
# core busy and one process in 20-180 ms bursts.
load_args() {
	case "$1" in
	quiet) ;;
	steady) echo "--busy 1" ;;
	intermittent) echo "--busy 0 --intermittent 1 --cycle-ms 2000 --duty 0.5 --seed $2" ;;
	loaded) echo "--busy 1 --burst 1" ;;
	*) die "unknown load '$1' (expected quiet, steady, intermittent or loaded)" ;;
	esac
}

# start_load LOAD_BIN KIND SEED SECONDS: start the load in the background
# (load_pid), bounded by SECONDS and by this shell's death (the load's
# children die with it); nothing for quiet.
load_pid=
start_load() {
	local args
	args=$(load_args "$2" "$3")
	[ -n "$args" ] || return 0
	# shellcheck disable=SC2086 # the arguments are words of load_args
	"$1" $args --seconds "$4" &
	load_pid=$!
	sleep 0.3
}

stop_load() {
	if [ -n "$load_pid" ]; then
		kill "$load_pid" 2>/dev/null || true
		wait "$load_pid" 2>/dev/null || true
		load_pid=
	fi
}

# write_trial DIR SUBJECT CONDITION LOAD INDEX SEED: DIR/trial.json, the
# trial's record for bench/analyze.py (the load with its exact arguments).
write_trial() {
	printf '{"subject": "%s", "condition": "%s", "load": "%s", "load_args": "%s", "index": %d}\n' \
		"$2" "$3" "$4" "$(load_args "$4" "$6")" "$5" >"$1/trial.json"
}

# fmt_min SECONDS: "N min"
fmt_min() {
	echo "$(( ($1 + 30) / 60 )) min"
}
