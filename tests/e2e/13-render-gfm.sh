#!/usr/bin/env bash
# verdict.md read the way GitHub reads it: `judge` on results whose scenario
# names, parameter values and revision strings carry pipes, backticks, HTML
# and newlines; cmark-gfm (GitHub's markdown dialect, tables on, raw HTML
# let through so that none can hide) renders it; every table row keeps its
# header's number of cells, no raw tag survives, and the mermaid charts
# hold nothing but their own syntax (checked by a small parser here:
# mermaid-cli needs a browser).
. "$(dirname "$0")/lib.sh"
cd "$T"

if ! command -v cmark-gfm >/dev/null; then
	not_ok "cmark-gfm is installed (scripts/deps.sh test)"
	exit 1
fi

python3 - "$ROOT/tests/fixtures/results-spin.json" hostile.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
evil = 'a|b `c` <script>alert(1)</script>\n| x | y |\n"]'
for i, s in enumerate(r["scenarios"]):
    s["name"] = "%d %s" % (i, evil)
    for k in s.get("params", {}):
        s["params"][k] = evil  # checks select by role: the verdict keeps its rows
for side in ("base", "head"):
    r["revisions"][side]["spec"] = "v1`|<b>x</b>\n| y"
    r["revisions"][side]["runtime"] = "Py <img src=x onerror=alert(1)> | z"
json.dump(r, open(sys.argv[2], "w"))
PY
expect "hostile results written" test -s hostile.json

run_bin judge --out "$T/j" "$T/hostile.json"
expect "judge on hostile names: fail (exit 1)" test "$rc" -eq 1
cmark-gfm --extension table --unsafe j/verdict.md >verdict.html
expect "cmark-gfm renders verdict.md" test -s verdict.html

check_html() {
	python3 - "$1" "$2" <<'PY'
import re, sys, html
doc, md = open(sys.argv[1]).read(), open(sys.argv[2]).read()
tables = re.findall(r"<table>(.*?)</table>", doc, re.S)
# every markdown table became an HTML table ...
seps = [l for l in md.splitlines() if re.match(r"^\| -", l)]
assert len(tables) == len(seps) > 2, (len(tables), len(seps))
# ... whose rows all have the header's cell count (GFM pads or drops cells
# silently, so the cells' contents are checked too: a status where the
# Status column is, the whole hostile name in the Scenario column)
rows_md = [b.count("\n") - 2 for b in re.findall(r"(?m)^(?:\|.*\n)+", md)]
assert rows_md == [len(re.findall(r"<tr>", t)) - 1 for t in tables], rows_md
def text(cell):
    return html.unescape(re.sub(r"<(?!br>)[^>]*>", "", cell)).strip()
for t in tables:
    heads = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", t, re.S)]
    for row in re.findall(r"<tr>(.*?)</tr>", t, re.S)[1:]:
        cells = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert len(cells) == len(heads), (len(cells), heads, row[:200])
        cell = dict(zip(heads, cells))
        if "Status" in cell:
            assert cell["Status"] in ("pass", "fail", "inconclusive", "error", "skipped"), cell
        if "Scenario" in cell:
            want = ' a|b `c` <script>alert(1)</script><br>| x | y |<br>"]'
            assert cell["Scenario"][1:] == want, cell["Scenario"]
# no raw tag from the results, anywhere
for bad in ("<script", "<img", "<b>x"):
    assert bad not in doc, bad
# the charts: only mermaid's own syntax, bars as many as categories
charts = re.findall(r'<pre><code class="language-mermaid">(.*?)</code></pre>', doc, re.S)
assert len(charts) == 2, len(charts)
for c in charts:
    lines = html.unescape(c).strip("\n").split("\n")
    # the report's colours for base and head, then the chart
    init = lines.pop(0)
    assert init == '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0072B2, #E69F00"}}}}%%', init
    assert lines[0] == "xychart-beta horizontal", lines[0]
    assert re.fullmatch(r'    title "[^"\n]*"', lines[1]), lines[1]
    m = re.fullmatch(r'    x-axis \[("s\d+ (base|head)"(, )?)+\]', lines[2])
    assert m, lines[2]
    ncat = lines[2].count('"') // 2
    assert re.fullmatch(r'    y-axis "[^"]*"', lines[3]), lines[3]
    assert len(lines) == 6, lines
    for b in lines[4:]:
        m = re.fullmatch(r"    bar \[([0-9.]+(, [0-9.]+)*)\]", b)
        assert m and len(m.group(1).split(", ")) == ncat, b
print("tables", len(tables), "charts", len(charts))
PY
}
expect "every table keeps its cells, no raw tag, the charts parse" check_html verdict.html j/verdict.md

# The negative case: the same check finds a row that lost a cell and a raw tag.
python3 -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
i = next(k for k, l in enumerate(lines) if "**fail**" in l)
lines[i] = "| <script>x</script> | " + lines[i].split(" | ", 1)[1]
open(sys.argv[2], "w").write("\n".join(lines))' j/verdict.md broken.md
cmark-gfm --extension table --unsafe broken.md >broken.html
expect "a raw tag is caught" fails check_html broken.html broken.md
python3 -c '
import sys
lines = open(sys.argv[1]).read().split("\n")
i = next(k for k, l in enumerate(lines) if "**fail**" in l)
lines[i] = lines[i].replace("\\|", "|", 1)
open(sys.argv[2], "w").write("\n".join(lines))' j/verdict.md broken2.md
cmark-gfm --extension table --unsafe broken2.md >broken2.html
expect "an unescaped pipe in a name is caught" fails check_html broken2.html broken2.md

e2e_done
