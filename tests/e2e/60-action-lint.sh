#!/usr/bin/env bash
# action.yml and every workflow (.github/workflows/, examples/workflows/)
# through the validators, and deliberately broken copies of each kind to
# prove they bite:
#   - npm @action-validator/cli: the schemas of GitHub's documented syntax for
#     action metadata and workflows (a file named action.yml is an action);
#   - actionlint (built from the Go module proxy by tests/action/setup.sh):
#     workflow lint, expressions, untrusted input in run:, and the inputs of
#     `uses: ./` against action.yml (the examples' `uses: org/spin-gate@v1`
#     is pointed at ./ in a copy so their inputs are checked too);
#   - run_action.py check: what neither reads in a composite action's steps:
#     ${{ }} inside run: (script injection), inputs.X and steps.ID that do
#     not exist, a run step without shell:.
. "$(dirname "$0")/lib.sh"

AV=$ROOT/tests/action/node_modules/.bin/action-validator
RA=$ROOT/tests/action/run_action.py
AL=$(bash "$ROOT/tests/action/setup.sh" 2>"$T/setup.log") ||
	{ not_ok "install the validators" "$(tail -5 "$T/setup.log")"; e2e_done; }
validate() { "$AV" "$1" >"$T/av.out" 2>&1; }
# lint DIR: actionlint on DIR's .github/workflows (DIR holds action.yml for uses: ./)
lint() { (cd "$1" && "$AL" -no-color -ignore 'shellcheck' .github/workflows/*.yml) >"$T/al.out" 2>&1; }

# A project laid out like this one: action.yml, and every workflow to lint,
# with the examples' `uses: org/spin-gate@v1` pointed at the local action.
mkproject() { # mkproject DIR
	mkdir -p "$1/.github/workflows"
	cp "$ROOT/action.yml" "$1/"
	cp "$ROOT"/.github/workflows/*.yml "$1/.github/workflows/"
	for f in "$ROOT"/examples/workflows/*.yml; do
		sed 's|uses: org/spin-gate@v1|uses: ./|' "$f" >"$1/.github/workflows/example-$(basename "$f")"
	done
	git -C "$1" init -q
}

# 1. the real files
expect "action-validator accepts action.yml" validate "$ROOT/action.yml"
for f in "$ROOT"/.github/workflows/*.yml "$ROOT"/examples/workflows/*.yml; do
	expect "action-validator accepts ${f#"$ROOT"/}" validate "$f"
done
expect "run_action.py check accepts action.yml" python3 "$RA" check "$ROOT/action.yml"
mkproject "$T/good"
expect "actionlint accepts the workflows and examples ($(ls "$T"/good/.github/workflows | wc -l) files)" lint "$T/good"
cp "$T/al.out" "$T/al-good.out"

# 2. broken action.yml: an unknown key and a misspelt shell key (schema)
mkdir -p "$T/bad-schema"
sed -e 's/^runs:$/runz:/' "$ROOT/action.yml" >"$T/bad-schema/action.yml"
expect "action-validator rejects action.yml without runs:" fails validate "$T/bad-schema/action.yml"
sed -e '0,/^      shell: bash$/s//      shel: bash/' "$ROOT/action.yml" >"$T/bad-schema/action.yml"
expect "action-validator rejects a run step with 'shel:'" fails validate "$T/bad-schema/action.yml"

# 3. broken action.yml: the pull request's title inside run:, an input typo
mkdir -p "$T/bad-inject" "$T/bad-typo"
sed -e '0,/^        bad=0$/s//        echo "${{ github.event.pull_request.title }}"; bad=0/' \
	"$ROOT/action.yml" >"$T/bad-inject/action.yml"
python3 "$RA" check "$T/bad-inject/action.yml" 2>"$T/stderr"
expect "check rejects \${{ github.event.pull_request.title }} inside run:" grep -q 'inside run: (script injection)' "$T/stderr"
sed -e '0,/inputs.fail-on }}/s//inputs.fial-on }}/' "$ROOT/action.yml" >"$T/bad-typo/action.yml"
python3 "$RA" check "$T/bad-typo/action.yml" 2>"$T/stderr"
expect "check rejects inputs.fial-on (no such input)" grep -q 'inputs.fial-on is not a declared input' "$T/stderr"
sed -e 's/steps.gate.outputs.exit-code /steps.gat.outputs.exit-code /' "$ROOT/action.yml" >"$T/bad-typo/action.yml"
python3 "$RA" check "$T/bad-typo/action.yml" 2>"$T/stderr"
expect "check rejects steps.gat (no such step)" grep -q "steps.gat is not an earlier step's id" "$T/stderr"
expect "check's negative cases: the real action.yml passed (above), the broken copies exit 1" \
	fails python3 "$RA" check "$T/bad-typo/action.yml" 2>/dev/null

# 4. broken workflows: schema, untrusted input in run:, an input of uses: ./ misspelt
mkdir -p "$T/bad-wf"
sed -e 's/^jobs:$/jobz:/' "$ROOT/examples/workflows/spin-gate.yml" >"$T/bad-wf/spin-gate.yml"
expect "action-validator rejects a workflow without jobs:" fails validate "$T/bad-wf/spin-gate.yml"
mkproject "$T/bad-title"
cat >>"$T/bad-title/.github/workflows/example-spin-gate.yml" <<'YAML'
      - run: echo "${{ github.event.pull_request.title }}"
YAML
lint "$T/bad-title"
expect "actionlint rejects github.event.pull_request.title inside run:" \
	grep -q '"github.event.pull_request.title" is potentially untrusted' "$T/al.out"
mkproject "$T/bad-input"
sed -i 's/          fail-on: fail$/          fail_on: fail/' "$T/bad-input/.github/workflows/example-spin-gate.yml"
lint "$T/bad-input"
expect "actionlint rejects the misspelt input fail_on of uses: ./" \
	grep -q 'input "fail_on" is not defined in action "spin-gate"' "$T/al.out"
mkproject "$T/bad-shard"
sed -i 's/          shards: 3$/          shard-count: 3/' "$T/bad-shard/.github/workflows/example-spin-gate-sharded.yml"
lint "$T/bad-shard"
expect "actionlint rejects the sharded example with a misspelt input (shard-count)" \
	grep -q 'input "shard-count" is not defined in action "spin-gate"' "$T/al.out"
mkproject "$T/bad-record"
sed -i 's/          branch: spin-gate-history$/          branhc: spin-gate-history/' "$T/bad-record/.github/workflows/example-spin-gate-main.yml"
lint "$T/bad-record"
expect "actionlint rejects the history example with a misspelt input (branhc)" \
	grep -q 'input "branhc" is not defined in action "spin-gate"' "$T/al.out"
mkproject "$T/bad-output"
sed -i 's/steps.gate.outputs.verdict }}/steps.gate.outputs.verdikt }}/' "$T/bad-output/.github/workflows/ci.yml"
lint "$T/bad-output"
expect "actionlint rejects an output action.yml does not declare" grep -q 'verdikt' "$T/al.out"

[ "$e2e_failed" = 0 ] || { echo "# actionlint on the real files said:"; sed 's/^/#   /' "$T/al-good.out"; }
e2e_done
