#!/usr/bin/env python3
"""run_action.py: run a composite action (action.yml) here, the way a GitHub
runner runs it in a job step, so that tests/e2e/61-action-local.sh can drive
spin-gate's action from a pull-request event to a posted comment.

  run_action.py run ACTION_DIR --event FILE --workspace DIR --runner-temp DIR
                    --out DIR [--event-name pull_request] [--repository OWNER/NAME]
                    [--api-url URL] [--actor LOGIN] [--input NAME=VALUE]...
                    [--uses-output ID.NAME=VALUE]...
  run_action.py check ACTION_YML...

`run` reads ACTION_DIR/action.yml, resolves the inputs (given ones, else the
evaluated defaults), and runs the steps in order with the variables a runner
sets: GITHUB_ACTIONS=true, CI=true, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
GITHUB_REPOSITORY(_OWNER), GITHUB_SHA (the event's merge commit), GITHUB_REF
(refs/pull/N/merge), GITHUB_HEAD_REF, GITHUB_BASE_REF, GITHUB_API_URL,
GITHUB_SERVER_URL, GITHUB_WORKSPACE, GITHUB_ACTION_PATH, GITHUB_ACTOR,
GITHUB_RUN_ID, RUNNER_TEMP, RUNNER_OS, RUNNER_ARCH, and for each step fresh
empty GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY and
GITHUB_STATE files. github.token is $RUN_ACTION_TOKEN (never an argument).
`shell: bash` steps run as `bash --noprofile --norc -eo pipefail {0}`, `sh` as
`sh -e {0}`; step outputs are read from GITHUB_OUTPUT (name=value and the
name<<DELIMITER multi-line form), GITHUB_ENV and GITHUB_PATH apply to the
later steps, `if:` is honoured (with the implicit success()), and
`continue-on-error:` too. Each step's output goes to stdout and OUT/log.txt.
At the end OUT/outputs.json holds the action's outputs, OUT/summary.md the
job summary (the steps' summaries in order), OUT/steps.json each step's
outcome and outputs. `uses:` steps are not run; --uses-output gives the
output a step with that id would have set (e.g. upload.artifact-url), so
the steps after it see it. The exit status is 0 when the action succeeded, 1 when
a step failed, 2 for a usage error or anything this harness does not support.

`check` statically checks action metadata where neither action-validator
(schema) nor actionlint (workflows only) looks: every run step names its
shell and has no ${{ }} in run: (script injection); every expression parses
in the subset below; inputs.X names a declared input; steps.ID an earlier
step with an id; only contexts a composite action may use.

Expressions: literals (null, true, false, numbers, 'strings'), the contexts
inputs, github, env, steps, runner, job (empty); property access .name and
['name'] (case-insensitive, '-' allowed in names); ! == != < <= > >= && ||
and parentheses, with GitHub's loose equality (case-insensitive strings,
numbers otherwise); functions success() failure() always() cancelled()
format() contains() startsWith() endsWith() toJSON() fromJSON(). Anything
else (hashFiles, matrix, secrets, vars...) stops the run with an error.

What it does NOT emulate (so the tests prove nothing about these):
  - `uses:` steps (actions/cache...): skipped with a note, outputs empty,
    outcome "skipped"; no cache is saved or restored;
  - workflow commands in the output (::add-mask::, ::group::, ::error::,
    ::set-output::...): printed as they are, not interpreted or masked;
  - the job around the action: checkout, permissions, the token's scopes,
    secrets, services, containers, other shells (pwsh, python), timeouts,
    cancellation, post: steps, the runner's own environment cleaning;
  - GitHub's real API: GITHUB_API_URL points at whatever local stand-in the
    caller runs; an unknown input is an error here (a runner only warns).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("run_action.py: error: PyYAML is needed (Debian: python3-yaml)")


class HarnessError(Exception):
    """Something this harness does not support or a malformed action."""


# ---------------------------------------------------------------- expressions

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>'(?:[^']|'')*')
  | (?P<num>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))
  | (?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\].,*])
  | (?P<ident>[A-Za-z_][A-Za-z0-9_-]*)
""", re.X)

CONTEXTS = ("inputs", "github", "env", "steps", "runner", "job")
FUNCTIONS = ("success", "failure", "always", "cancelled", "format", "contains",
             "startswith", "endswith", "tojson", "fromjson")


def tokenize(src):
    pos, out = 0, []
    while pos < len(src):
        m = TOKEN_RE.match(src, pos)
        if not m:
            raise HarnessError(f"unsupported expression syntax at {src[pos:]!r} in {src!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group()))
    out.append(("end", ""))
    return out


class Parser:
    """Recursive descent over GitHub's expression grammar, to a small AST."""

    def __init__(self, src):
        self.src, self.toks, self.i = src, tokenize(src), 0

    def peek(self):
        return self.toks[self.i]

    def take(self, kind=None, value=None):
        t = self.toks[self.i]
        if (kind and t[0] != kind) or (value is not None and t[1] != value):
            raise HarnessError(f"expected {value or kind} at {t[1]!r} in {self.src!r}")
        self.i += 1
        return t

    def parse(self):
        node = self.or_()
        self.take("end")
        return node

    def or_(self):
        node = self.and_()
        while self.peek() == ("op", "||"):
            self.take()
            node = ("or", node, self.and_())
        return node

    def and_(self):
        node = self.cmp()
        while self.peek() == ("op", "&&"):
            self.take()
            node = ("and", node, self.cmp())
        return node

    def cmp(self):
        node = self.unary()
        while self.peek()[0] == "op" and self.peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("cmp", op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ("op", "!"):
            self.take()
            return ("not", self.unary())
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while True:
            t = self.peek()
            if t == ("op", "."):
                self.take()
                name = self.take("ident")[1]
                node = ("get", node, ("lit", name))
            elif t == ("op", "["):
                self.take()
                key = self.or_()
                self.take("op", "]")
                node = ("get", node, key)
            else:
                return node

    def primary(self):
        kind, val = self.peek()
        if kind == "str":
            self.take()
            return ("lit", val[1:-1].replace("''", "'"))
        if kind == "num":
            self.take()
            return ("lit", float(int(val, 16)) if "x" in val.lower() else float(val))
        if (kind, val) == ("op", "("):
            self.take()
            node = self.or_()
            self.take("op", ")")
            return node
        if kind == "ident":
            self.take()
            low = val.lower()
            if low in ("true", "false"):
                return ("lit", low == "true")
            if low == "null":
                return ("lit", None)
            if self.peek() == ("op", "("):
                if low not in FUNCTIONS:
                    raise HarnessError(f"unsupported function {val}() in {self.src!r}")
                self.take()
                args = []
                if self.peek() != ("op", ")"):
                    args.append(self.or_())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.or_())
                self.take("op", ")")
                return ("call", low, args)
            if low not in CONTEXTS:
                raise HarnessError(f"unsupported context '{val}' in {self.src!r}")
            return ("ctx", low)
        raise HarnessError(f"unexpected {val!r} in {self.src!r}")


def to_str(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else repr(v)
    if isinstance(v, (dict, list)):
        return json.dumps(v, indent=2)
    return str(v)


def to_num(v):
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, str):
        s = v.strip()
        if s == "":
            return 0.0
        try:
            return float(int(s, 16)) if s.lower().startswith("0x") else float(s)
        except ValueError:
            return float("nan")
    return float("nan")


def truthy(v):
    if v is None or v is False:
        return False
    if isinstance(v, float):
        return v != 0 and v == v
    if isinstance(v, str):
        return v != ""
    return True


def loose_eq(a, b):
    if type(a) is type(b) or (a is None and b is None):
        if isinstance(a, str):
            return a.lower() == b.lower()
        return a == b
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return to_num(a) == to_num(b)


def get_prop(obj, key):
    if isinstance(obj, dict):
        if key in obj:
            return obj[key]
        low = str(key).lower()
        for k, v in obj.items():
            if str(k).lower() == low:
                return v
        return None
    if isinstance(obj, list) and isinstance(key, float) and key == int(key) and 0 <= key < len(obj):
        return obj[int(key)]
    return None


class Evaluator:
    def __init__(self, contexts, status="success"):
        self.ctx, self.status = contexts, status

    def eval(self, node):
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ctx":
            return self.ctx.get(node[1], {})
        if kind == "get":
            return get_prop(self.eval(node[1]), self.eval(node[2]))
        if kind == "not":
            return not truthy(self.eval(node[1]))
        if kind == "and":
            left = self.eval(node[1])
            return self.eval(node[2]) if truthy(left) else left
        if kind == "or":
            left = self.eval(node[1])
            return left if truthy(left) else self.eval(node[2])
        if kind == "cmp":
            op, a, b = node[1], self.eval(node[2]), self.eval(node[3])
            if op == "==":
                return loose_eq(a, b)
            if op == "!=":
                return not loose_eq(a, b)
            if isinstance(a, str) and isinstance(b, str):
                a, b = a.lower(), b.lower()
            else:
                a, b = to_num(a), to_num(b)
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        if kind == "call":
            return self.call(node[1], [self.eval(a) for a in node[2]])
        raise HarnessError(f"internal: node {kind}")

    def call(self, name, args):
        if name == "success":
            return self.status == "success"
        if name == "failure":
            return self.status == "failure"
        if name == "always":
            return True
        if name == "cancelled":
            return False
        if name == "format":
            fmt = to_str(args[0])
            return re.sub(r"\{(\d+)\}", lambda m: to_str(args[int(m.group(1)) + 1]),
                          fmt.replace("{{", "\0").replace("}}", "\1")).replace("\0", "{").replace("\1", "}")
        if name == "contains":
            hay, needle = args
            if isinstance(hay, list):
                return any(loose_eq(x, needle) for x in hay)
            return to_str(needle).lower() in to_str(hay).lower()
        if name == "startswith":
            return to_str(args[0]).lower().startswith(to_str(args[1]).lower())
        if name == "endswith":
            return to_str(args[0]).lower().endswith(to_str(args[1]).lower())
        if name == "tojson":
            return json.dumps(args[0], indent=2)
        if name == "fromjson":
            return json.loads(to_str(args[0]))
        raise HarnessError(f"internal: function {name}")


EXPR_RE = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def interpolate(text, ev):
    """A string with ${{ }} parts; a string that is one whole expression keeps its type."""
    if not isinstance(text, str):
        return text
    m = EXPR_RE.fullmatch(text.strip())
    if m:
        return ev.eval(Parser(m.group(1).strip()).parse())
    return EXPR_RE.sub(lambda m: to_str(ev.eval(Parser(m.group(1).strip()).parse())), text)


def condition(text, ev):
    """An if: (with or without ${{ }}), with the implicit success() of GitHub."""
    if isinstance(text, bool):
        text = "true" if text else "false"
    src = str(text).strip()
    m = EXPR_RE.fullmatch(src)
    if m:
        src = m.group(1).strip()
    if not re.search(r"\b(success|failure|always|cancelled)\s*\(", src):
        src = f"success() && ({src})"
    return truthy(ev.eval(Parser(src).parse()))


# ---------------------------------------------------------------- file commands

def read_kv_file(path):
    """name=value lines and name<<DELIM ... DELIM blocks, as the runner reads them."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i].rstrip("\r")
        i += 1
        if not line:
            continue
        heredoc = re.match(r"^([^=<]+)<<(.+)$", line)
        if heredoc and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim, body = heredoc.group(1), heredoc.group(2), []
            while True:
                if i >= len(lines):
                    raise HarnessError(f"{path}: no closing delimiter '{delim}' for '{name}'")
                cur = lines[i].rstrip("\r")
                i += 1
                if cur == delim:
                    break
                body.append(cur)
            out[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        else:
            raise HarnessError(f"{path}: invalid line {line!r}")
    return out


# ---------------------------------------------------------------- the run

def load_action(action_dir):
    path = os.path.join(action_dir, "action.yml")
    if not os.path.exists(path):
        path = os.path.join(action_dir, "action.yaml")
    with open(path, encoding="utf-8") as f:
        action = yaml.safe_load(f)
    runs = action.get("runs") or {}
    if runs.get("using") != "composite":
        raise HarnessError(f"{path}: runs.using is {runs.get('using')!r}; only composite actions run here")
    return path, action


def runner_env(a, event):
    pr = event.get("pull_request") or {}
    number = pr.get("number") or event.get("number")
    repo = a.repository or (event.get("repository") or {}).get("full_name") or ""
    sha = pr.get("merge_commit_sha") or (pr.get("head") or {}).get("sha") or event.get("after") or ""
    env = {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": a.event_name,
        "GITHUB_EVENT_PATH": os.path.abspath(a.event),
        "GITHUB_REPOSITORY": repo,
        "GITHUB_REPOSITORY_OWNER": repo.split("/")[0],
        "GITHUB_SHA": sha,
        "GITHUB_REF": f"refs/pull/{number}/merge" if number else "refs/heads/main",
        "GITHUB_HEAD_REF": (pr.get("head") or {}).get("ref") or "",
        "GITHUB_BASE_REF": (pr.get("base") or {}).get("ref") or "",
        "GITHUB_API_URL": a.api_url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_GRAPHQL_URL": a.api_url.rstrip("/") + "/graphql",
        "GITHUB_WORKSPACE": os.path.abspath(a.workspace),
        "GITHUB_ACTION_PATH": os.path.abspath(a.action_dir),
        "GITHUB_ACTION": "__run_action",
        "GITHUB_ACTOR": a.actor,
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_NUMBER": "7",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_WORKFLOW": "run_action.py",
        "GITHUB_JOB": "gate",
        "RUNNER_TEMP": os.path.abspath(a.runner_temp),
        "RUNNER_TOOL_CACHE": os.path.join(os.path.abspath(a.runner_temp), "_tool"),
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_NAME": "run_action.py",
    }
    return env


def github_context(env, event, token):
    ctx = {k[len("GITHUB_"):].lower(): v for k, v in env.items() if k.startswith("GITHUB_")}
    ctx["event"] = event
    ctx["token"] = token
    ctx["action_path"] = env["GITHUB_ACTION_PATH"]
    return ctx


def shell_command(shell, script):
    if shell == "bash":
        return ["bash", "--noprofile", "--norc", "-eo", "pipefail", script]
    if shell == "sh":
        return ["sh", "-e", script]
    raise HarnessError(f"unsupported shell {shell!r} (bash and sh only)")


def run(a):
    token = os.environ.get("RUN_ACTION_TOKEN", "")
    with open(a.event, encoding="utf-8") as f:
        event = json.load(f)
    path, action = load_action(a.action_dir)
    os.makedirs(a.out, exist_ok=True)
    os.makedirs(a.runner_temp, exist_ok=True)
    log = open(os.path.join(a.out, "log.txt"), "w", encoding="utf-8")

    def say(msg):
        print(msg, flush=True)
        log.write(msg + "\n")
        log.flush()

    renv = runner_env(a, event)
    github = github_context(renv, event, token)
    runner = {"temp": renv["RUNNER_TEMP"], "os": "Linux", "arch": "X64",
              "name": renv["RUNNER_NAME"], "tool_cache": renv["RUNNER_TOOL_CACHE"]}

    declared = action.get("inputs") or {}
    given = {}
    for item in a.input:
        name, sep, value = item.partition("=")
        if not sep:
            raise HarnessError(f"--input {item!r}: expected NAME=VALUE")
        if name.lower() not in {k.lower() for k in declared}:
            raise HarnessError(f"unexpected input '{name}': action.yml declares {', '.join(declared)}")
        given[name.lower()] = value
    faked = {}
    for item in a.uses_output:
        key, sep, value = item.partition("=")
        sid, dot, name = key.partition(".")
        if not sep or not dot or not sid or not name:
            raise HarnessError(f"--uses-output {item!r}: expected ID.NAME=VALUE")
        faked.setdefault(sid, {})[name] = value
    base_ev = Evaluator({"github": github, "runner": runner, "env": {}, "inputs": {},
                         "steps": {}, "job": {}})
    inputs = {}
    for name, spec in declared.items():
        spec = spec or {}
        if name.lower() in given:
            inputs[name] = given[name.lower()]
        else:
            if spec.get("required") and "default" not in spec:
                say(f"##[warning]run_action.py: required input '{name}' not given")
            inputs[name] = to_str(interpolate(to_str(spec.get("default", "")), base_ev))

    files_dir = os.path.join(a.runner_temp, "_runner_file_commands")
    os.makedirs(files_dir, exist_ok=True)
    job_env, extra_path = {}, []
    steps_ctx, status, record = {}, "success", []
    summary = open(os.path.join(a.out, "summary.md"), "w", encoding="utf-8")
    base_environ = {k: v for k, v in os.environ.items()
                    if not k.startswith(("GITHUB_", "RUNNER_", "RUN_ACTION_", "INPUT_"))}

    for n, step in enumerate(action["runs"].get("steps") or [], 1):
        sid = step.get("id")
        label = step.get("name") or step.get("run", step.get("uses", f"step {n}")).split("\n")[0]
        ev = Evaluator({"github": github, "runner": runner, "inputs": inputs, "steps": steps_ctx,
                        "env": dict(job_env), "job": {}}, status)
        label = to_str(interpolate(label, ev))
        rec = {"n": n, "id": sid, "name": label, "outcome": "skipped", "outputs": {}}
        record.append(rec)
        if not condition(step.get("if", "success()"), ev):
            say(f"##[step {n}] {label}: skipped (if: {step.get('if', 'success()')})")
            if sid:
                steps_ctx[sid] = {"outputs": {}, "outcome": "skipped", "conclusion": "skipped"}
            continue
        if "uses" in step:
            say(f"##[step {n}] {label}: NOT RUN: run_action.py does not run 'uses: {step['uses']}' "
                f"(outputs {faked.get(sid) or 'empty'})")
            if sid:
                steps_ctx[sid] = {"outputs": dict(faked.get(sid) or {}), "outcome": "skipped",
                                  "conclusion": "skipped"}
            continue
        if "run" not in step:
            raise HarnessError(f"step {n}: neither run: nor uses:")
        if "shell" not in step:
            raise HarnessError(f"step {n}: a composite action's run step must name its shell")
        step_env = {k: to_str(interpolate(to_str(v), ev)) for k, v in (step.get("env") or {}).items()}
        script_text = to_str(interpolate(step["run"], ev))
        wd = to_str(interpolate(step.get("working-directory", ""), ev)) or renv["GITHUB_WORKSPACE"]
        files = {}
        for var in ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY", "GITHUB_STATE"):
            files[var] = os.path.join(files_dir, f"{var.lower()}_{n}")
            open(files[var], "w").close()
        env = dict(base_environ)
        env.update(renv)
        env.update(job_env)
        env.update(step_env)
        env.update(files)
        if extra_path:
            env["PATH"] = os.pathsep.join(extra_path + [env.get("PATH", "")])
        fd, script = tempfile.mkstemp(prefix=f"step{n}-", suffix=".sh", dir=a.runner_temp)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(script_text)
        say(f"##[step {n}] {label}")
        proc = subprocess.Popen(shell_command(step["shell"], script), cwd=wd, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace")
            sys.stdout.write(line)
            sys.stdout.flush()
            log.write(line)
        rc = proc.wait()
        log.flush()
        outputs = read_kv_file(files["GITHUB_OUTPUT"])
        job_env.update(read_kv_file(files["GITHUB_ENV"]))
        with open(files["GITHUB_PATH"], encoding="utf-8") as f:
            extra_path = [p for p in f.read().splitlines() if p][::-1] + extra_path
        with open(files["GITHUB_STEP_SUMMARY"], encoding="utf-8") as f:
            summary.write(f.read())
        summary.flush()
        outcome = "success" if rc == 0 else "failure"
        conclusion = outcome
        if rc != 0 and truthy(interpolate(step.get("continue-on-error", False), ev)):
            conclusion = "success"
        if conclusion == "failure":
            status = "failure"
        say(f"##[step {n}] {label}: exit {rc}, {outcome}")
        rec.update(outcome=outcome, exit=rc, outputs=outputs)
        if sid:
            steps_ctx[sid] = {"outputs": outputs, "outcome": outcome, "conclusion": conclusion}

    ev = Evaluator({"github": github, "runner": runner, "inputs": inputs, "steps": steps_ctx,
                    "env": dict(job_env), "job": {}}, status)
    outs = {name: to_str(interpolate(to_str((spec or {}).get("value", "")), ev))
            for name, spec in (action.get("outputs") or {}).items()}
    with open(os.path.join(a.out, "outputs.json"), "w", encoding="utf-8") as f:
        json.dump(outs, f, indent=2)
    with open(os.path.join(a.out, "steps.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=2)
    say(f"##[action] {status}; outputs: {json.dumps(outs)}")
    summary.close()
    log.close()
    return 0 if status == "success" else 1


# ---------------------------------------------------------------- check

def walk_strings(node, where):
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from walk_strings(v, f"{where}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_strings(v, f"{where}[{i}]")


def refs(node, out):
    """(context, first property, second property) triples an AST reads."""
    if node[0] == "get":
        chain, cur = [], node
        while cur[0] == "get":
            chain.append(cur[2][1] if cur[2][0] == "lit" else None)
            cur = cur[1]
        if cur[0] == "ctx":
            chain.reverse()
            out.append((cur[1], chain[0] if chain else None, chain[1] if len(chain) > 1 else None))
        refs(cur, out)
        for part in (node[2],):
            if part[0] != "lit":
                refs(part, out)
        return
    for child in node[1:]:
        if isinstance(child, tuple):
            refs(child, out)
        elif isinstance(child, list):
            for c in child:
                refs(c, out)


def check(path):
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            action = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        return [f"{path}: cannot read: {e}".replace("\n", " ")]
    if not isinstance(action, dict) or (action.get("runs") or {}).get("using") != "composite":
        return [f"{path}: not a composite action"]
    inputs = {k.lower() for k in (action.get("inputs") or {})}
    steps = action["runs"].get("steps") or []
    ids_before, seen = [], set()
    for n, step in enumerate(steps, 1):
        where = f"{path}: runs.steps[{n - 1}] ({step.get('name') or step.get('id') or n})"
        if "run" in step:
            if "shell" not in step:
                problems.append(f"{where}: run step without shell:")
            if EXPR_RE.search(str(step["run"])):
                problems.append(f"{where}: ${{{{ }}}} inside run: (script injection); pass it through env:")
        ids_before.append(set(seen))
        if step.get("id"):
            seen.add(step["id"])
    checks = [("inputs", action.get("inputs"), None)]
    checks += [(f"runs.steps[{i}]", s, ids_before[i]) for i, s in enumerate(steps)]
    checks += [("outputs", action.get("outputs"), seen)]
    for where0, node, known_ids in checks:
        for where, text in walk_strings(node, where0):
            exprs = [m.group(1).strip() for m in EXPR_RE.finditer(text)]
            if where.endswith(".if") and not exprs:
                exprs = [text]
            for src in exprs:
                try:
                    ast = Parser(src).parse()
                except HarnessError as e:
                    problems.append(f"{path}: {where}: {e}")
                    continue
                used = []
                refs(ast, used)
                for ctx, first, second in used:
                    if ctx == "inputs" and (first is None or first.lower() not in inputs):
                        problems.append(f"{path}: {where}: inputs.{first} is not a declared input")
                    if ctx == "steps":
                        if known_ids is None or first not in known_ids:
                            problems.append(f"{path}: {where}: steps.{first} is not an earlier step's id")
                        elif second not in ("outputs", "outcome", "conclusion"):
                            problems.append(f"{path}: {where}: steps.{first}.{second} is not a step property")
    return problems


# ---------------------------------------------------------------- main

def main(argv):
    import argparse
    p = argparse.ArgumentParser(prog="run_action.py", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("action_dir")
    r.add_argument("--event", required=True)
    r.add_argument("--event-name", default="pull_request")
    r.add_argument("--repository", default="")
    r.add_argument("--workspace", required=True)
    r.add_argument("--runner-temp", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--api-url", default="https://api.github.com")
    r.add_argument("--actor", default="octocat")
    r.add_argument("--input", action="append", default=[])
    r.add_argument("--uses-output", action="append", default=[])
    c = sub.add_parser("check")
    c.add_argument("files", nargs="+")
    a = p.parse_args(argv)
    try:
        if a.cmd == "check":
            problems = [x for f in a.files for x in check(f)]
            for x in problems:
                print(f"run_action.py: {x}", file=sys.stderr)
            return 1 if problems else 0
        return run(a)
    except HarnessError as e:
        print(f"run_action.py: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
