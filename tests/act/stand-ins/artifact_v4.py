#!/usr/bin/env python3
"""artifact_v4.py: a STAND-IN for actions/upload-artifact@v4 and
actions/download-artifact@v4 under nektos/act, for spin-gate's tests only.

act cannot fetch the real actions offline, but it serves the artifact API
itself (--artifact-server-path): this small client speaks that API (the v4
"results" twirp service: CreateArtifact, the blob PUTs, FinalizeArtifact,
ListArtifacts, GetSignedArtifactURL, the blob GET) with the run's
ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL, as the real actions do, so
artifacts really travel from one job to another through act's server.

  artifact_v4.py upload     (inputs from INPUT_NAME, INPUT_PATH, INPUT_IF_NO_FILES_FOUND)
  artifact_v4.py download   (inputs from INPUT_NAME, INPUT_PATTERN, INPUT_PATH, INPUT_MERGE_MULTIPLE)

What it keeps of the real actions: upload's `path` lines (files, directories,
globs with * ? ** and `!` exclusions), the least common ancestor of the search
paths as the zip's root, hidden files left out, if-no-files-found
(warn/error/ignore), and the outputs artifact-id and artifact-url; download by
`name` (into `path`) or by `pattern` (each into path/NAME, or all into path
with merge-multiple), and the output download-path. What it does not:
retention, compression levels, overwrite (act's server replaces a name
uploaded twice), digests checked on download, other runs or repositories
(run-id, repository, github-token are ignored).
"""
import base64
import fnmatch
import glob
import io
import json
import os
import sys
import urllib.error
import urllib.request
import zipfile

SERVICE = "twirp/github.actions.results.api.v1.ArtifactService/"


def die(msg):
    print(f"::error::artifact stand-in: {msg}")
    sys.exit(1)


def inp(name, default=""):
    return os.environ.get("INPUT_" + name.upper().replace(" ", "_"), default).strip() or default


def output(name, value):
    with open(os.environ["GITHUB_OUTPUT"], "a") as f:
        f.write(f"{name}={value}\n")


def backend_ids():
    """(run, job) from the token's scp claim 'Actions.Results:RUN:JOB', as @actions/artifact reads it."""
    token = os.environ.get("ACTIONS_RUNTIME_TOKEN", "")
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        die("ACTIONS_RUNTIME_TOKEN is not a JWT (is act's artifact server on? --artifact-server-path)")
    for scope in claims.get("scp", "").split(" "):
        parts = scope.split(":")
        if len(parts) == 3 and parts[0] == "Actions.Results":
            return parts[1], parts[2]
    die("ACTIONS_RUNTIME_TOKEN has no Actions.Results scope")


def call(method, body):
    base = os.environ.get("ACTIONS_RESULTS_URL", "")
    if not base:
        die("ACTIONS_RESULTS_URL is not set")
    run, job = backend_ids()
    body = dict(body, workflow_run_backend_id=run, workflow_job_run_backend_id=job)
    req = urllib.request.Request(base.rstrip("/") + "/" + SERVICE + method, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"{}")


def listed(name_filter=None):
    """Artifact names of this run. act's server drops the connection (a panic
    in its handler) when the run has no artifact yet: that is an empty list."""
    body = {"name_filter": name_filter} if name_filter else {}
    try:
        return sorted(a["name"] for a in call("ListArtifacts", body).get("artifacts", []))
    except (ConnectionError, urllib.error.URLError) as e:
        if isinstance(e, urllib.error.HTTPError):
            raise
        print(f"artifact stand-in: no artifact in this run yet ({e})")
        return []


def blob(url, method="GET", data=None):
    req = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.read()


def has_glob(s):
    return any(c in s for c in "*?[")


def search_path(pattern):
    """The part of a pattern before its first glob segment (as @actions/glob's search paths)."""
    parts = pattern.split(os.sep)
    keep = []
    for p in parts:
        if has_glob(p):
            break
        keep.append(p)
    return os.sep.join(keep) or os.sep


def hidden(rel):
    return any(p.startswith(".") for p in rel.split(os.sep))


def collect(lines):
    include, exclude = [], []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        (exclude if line.startswith("!") else include).append(os.path.abspath(os.path.expanduser(line.lstrip("!"))))
    files = {}
    for pat in include:
        matches = glob.glob(pat, recursive=True) if has_glob(pat) else ([pat] if os.path.exists(pat) else [])
        for m in matches:
            if os.path.isdir(m):
                for d, _, names in os.walk(m):
                    for n in names:
                        files[os.path.join(d, n)] = pat
            elif os.path.isfile(m):
                files[m] = pat
    files = [f for f in files if not any(fnmatch.fnmatch(f, x) or f.startswith(x + os.sep) for x in exclude)]
    searches = [search_path(p) for p in include]
    if len(searches) == 1:
        root = searches[0] if os.path.isdir(searches[0]) else os.path.dirname(searches[0])
    else:
        root = os.path.commonpath(searches) if searches else "/"
        if os.path.isfile(root):
            root = os.path.dirname(root)
    files = sorted(f for f in files if not hidden(os.path.relpath(f, root)))
    return root, files


def upload():
    name = inp("name", "artifact")
    lines = inp("path").splitlines()
    if not lines:
        die("input 'path' is required")
    root, files = collect(lines)
    if not files:
        how = inp("if-no-files-found", "warn")
        msg = f"No files were found with the provided path: {' '.join(lines)}. No artifacts will be uploaded."
        if how == "error":
            die(msg)
        if how == "warn":
            print(f"::warning::{msg}")
        else:
            print(msg)
        return
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for f in files:
            z.write(f, os.path.relpath(f, root))
    data = buf.getvalue()
    created = call("CreateArtifact", {"name": name, "version": 4})
    url = created.get("signedUploadUrl") or die(f"CreateArtifact gave no upload URL: {created}")
    blob(url + "&comp=block", "PUT", data)
    blob(url + "&comp=blocklist", "PUT", b"<BlockList></BlockList>")
    done = call("FinalizeArtifact", {"name": name, "size": str(len(data))})
    aid = done.get("artifactId", "")
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    run = os.environ.get("GITHUB_RUN_ID", "")
    print(f"artifact stand-in: uploaded '{name}' ({len(files)} files, {len(data)} bytes, id {aid}) from {root}")
    output("artifact-id", aid)
    output("artifact-url", f"{server}/{repo}/actions/runs/{run}/artifacts/{aid}")


def extract(name, dest):
    signed = call("GetSignedArtifactURL", {"name": name}).get("signedUrl") or die(f"no URL for artifact '{name}'")
    data = blob(signed)
    os.makedirs(dest, exist_ok=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        z.extractall(dest)
    print(f"artifact stand-in: downloaded '{name}' into {dest}")


def download():
    name, pattern = inp("name"), inp("pattern")
    path = os.path.abspath(os.path.expanduser(inp("path", os.environ.get("GITHUB_WORKSPACE", "."))))
    if name:
        if not listed(name):
            die(f"Artifact not found for name: {name}")
        extract(name, path)
    else:
        names = listed()
        if pattern:
            names = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        print(f"artifact stand-in: {len(names)} artifact(s) match '{pattern or '*'}': {' '.join(names)}")
        merge = inp("merge-multiple", "false") == "true"
        for n in names:
            extract(n, path if merge else os.path.join(path, n))
    output("download-path", path)


if __name__ == "__main__":
    if sys.argv[1:] == ["upload"]:
        upload()
    elif sys.argv[1:] == ["download"]:
        download()
    else:
        print("usage: artifact_v4.py upload|download", file=sys.stderr)
        sys.exit(2)
