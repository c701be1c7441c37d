// Render every ```mermaid block of a verdict.md with mermaid itself (npm
// mermaid, its bundle loaded into Debian's chromium through playwright-core,
// as GitHub renders it in a comment) and check what a reader gets: each block
// parses and renders to an SVG without an error, with one drawn bar (a rect
// of finite size) per value: bar series x x-axis labels, the two sides of a scenario as labels, and
// the x axis naming base and head of every charted scenario; with
// RESULTS.json, as many scenarios as were measured (up to the 8 that are
// charted whole). A PNG of each chart goes to SHOT-DIR as chart-N.png.
//
//   node check-mermaid.mjs VERDICT.md [RESULTS.json] [SHOT-DIR]
//
// Prints one "ok - " / "not ok - " line per check (tests/e2e/lib.sh's form)
// and exits 1 when any failed. Nothing is fetched: the page is about:blank
// with the bundle added inline, and every request is refused.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [mdPath, resultsPath, shots] = process.argv.slice(2);
if (!mdPath) {
  console.error("usage: node check-mermaid.mjs VERDICT.md [RESULTS.json] [SHOT-DIR]");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, "node_modules/mermaid/dist/mermaid.min.js");
let failed = 0;
const check = (name, cond, detail) => {
  if (cond) console.log(`ok - ${name}`);
  else {
    failed = 1;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) console.log(`#   ${JSON.stringify(detail)}`);
  }
};

// the ```mermaid blocks, as GitHub finds them: a fence line naming mermaid,
// up to a closing fence of the same character at least as long
const blocks = [];
{
  const lines = fs.readFileSync(mdPath, "utf8").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*mermaid\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[1];
    const body = [];
    for (i++; i < lines.length; i++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[i]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length) break;
      body.push(lines[i]);
    }
    blocks.push(body.join("\n"));
  }
}
check("verdict.md has mermaid blocks", blocks.length > 0, { blocks: blocks.length });

// what the source asks for: the x axis labels and the bar series
const wanted = (text) => {
  const axis = /^\s*x-axis\s*\[(.*)\]\s*$/m.exec(text);
  const labels = axis ? JSON.parse(`[${axis[1]}]`) : [];
  const series = text.split("\n").filter((l) => /^\s*bar\s*\[/.test(l)).length;
  return { labels, series };
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
const errors = [];
const requests = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (!r.url().startsWith("about:") && !r.url().startsWith("data:")) requests.push(r.url()); });
await page.route("**/*", (route) => route.abort());
await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"></body></html>');
await page.addScriptTag({ content: fs.readFileSync(bundle, "utf8") });
await page.evaluate(() => {
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
});

const scenarios = resultsPath ? JSON.parse(fs.readFileSync(resultsPath, "utf8")).scenarios.length : 0;
for (const [k, text] of blocks.entries()) {
  const n = k + 1;
  const want = wanted(text);
  const got = await page.evaluate(async ({ text, n }) => {
    const out = { error: null, svg: false, bars: 0, ticks: [], syntaxError: false };
    try {
      const { svg } = await window.mermaid.render(`chart${n}`, text);
      const div = document.createElement("div");
      div.id = `wrap${n}`;
      div.style.cssText = "width:760px;padding:8px;background:#fff";
      div.innerHTML = svg;
      document.body.appendChild(div);
      const el = div.querySelector("svg");
      out.svg = !!el;
      // xychart draws each series in a group .bar-plot-N, one rect a value
      // (a value missing from a series is still a rect, of height NaN)
      out.bars = el ? [...el.querySelectorAll('g[class^="bar-plot-"] rect')].filter((r) =>
        ["x", "y", "width", "height"].every((a) => Number.isFinite(parseFloat(r.getAttribute(a))))).length : 0;
      // the categories: on the bottom axis, or the left one when horizontal
      out.ticks = el ? [...el.querySelectorAll(".bottom-axis text, .left-axis text")].map((t) => t.textContent) : [];
      out.syntaxError = /Syntax error/i.test(div.textContent);
    } catch (e) {
      out.error = String(e && e.message ? e.message : e);
    }
    return out;
  }, { text, n });
  check(`chart ${n}: mermaid renders it without an error`, !got.error && got.svg && !got.syntaxError, got.error || got);
  check(`chart ${n}: one bar per value (${want.series} series x ${want.labels.length} labels)`,
    want.series > 0 && got.bars === want.series * want.labels.length, { want: want.series * want.labels.length, got: got.bars });
  check(`chart ${n}: the category axis shows every label`, want.labels.length > 0 && want.labels.every((l) => got.ticks.includes(l)),
    { want: want.labels, got: got.ticks });
  check(`chart ${n}: base and head of each charted scenario`,
    want.labels.length % 2 === 0 && want.labels.every((l, i) => l.endsWith(i % 2 ? " head" : " base")), want.labels);
  if (scenarios)
    check(`chart ${n}: every scenario charted (${scenarios} measured, at most 8 whole)`,
      scenarios > 8 || want.labels.length === 2 * scenarios, { scenarios, labels: want.labels.length });
  if (shots && got.svg) {
    fs.mkdirSync(shots, { recursive: true });
    await page.locator(`#wrap${n}`).screenshot({ path: path.join(shots, `chart-${n}.png`) });
  }
}
check("no console errors", errors.length === 0, errors);
check("no network requests", requests.length === 0, requests);
await browser.close();
process.exit(failed);
