// Open report.html in Debian's chromium (playwright-core, executablePath) and
// check what a reader gets: no console errors, no request beyond the file,
// every plot with one mark per stored run, colours as documented, nothing
// wider than the viewport at phone and desktop widths; a screenshot of each.
//
//   node check-report.mjs REPORT.html RESULTS.json SHOT-DIR
//
// Prints one "ok - " / "not ok - " line per check (tests/e2e/lib.sh's form)
// and exits 1 when any failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [html, resultsPath, shots] = process.argv.slice(2);
const results = JSON.parse(fs.readFileSync(resultsPath, "utf8"));
let failed = 0;
const check = (name, cond, detail) => {
  if (cond) console.log(`ok - ${name}`);
  else {
    failed = 1;
    console.log(`not ok - ${name}`);
    if (detail !== undefined) console.log(`#   ${JSON.stringify(detail)}`);
  }
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage();
const errors = [];
const requests = [];
const url = pathToFileURL(path.resolve(html)).href;
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
page.on("request", (r) => { if (r.url() !== url) requests.push(r.url()); });
await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
await page.goto(url, { waitUntil: "load" });

// one mark per stored measured run, per side and metric, inside its plot
const want = results.scenarios.map((sc) => {
  const n = {};
  for (const side of ["base", "head"]) {
    for (const [metric, field] of [["wall", "wall"], ["user", "user"], ["system", "system"]]) {
      n[`${side}/${metric}`] = sc.samples[side].filter((s) => !s.warmup && s[field] != null).length;
    }
  }
  return n;
});

const measure = () => page.evaluate(() => {
  const figs = [...document.querySelectorAll("figure svg.plot")].map((svg) => {
    const box = svg.getBoundingClientRect();
    const n = {};
    let outside = 0;
    for (const d of svg.querySelectorAll(".dot")) {
      const side = d.classList.contains("base") ? "base" : "head";
      const key = `${side}/${d.dataset.metric}`;
      n[key] = (n[key] || 0) + 1;
      const b = d.getBoundingClientRect();
      if (b.width === 0 || b.left < box.left - 1 || b.right > box.right + 1 ||
          b.top < box.top - 1 || b.bottom > box.bottom + 1) outside++;
    }
    return { n, outside, right: box.right, medians: svg.querySelectorAll(".median").length,
             label: svg.getAttribute("aria-label"), role: svg.getAttribute("role") };
  });
  const base = document.querySelector("svg.plot .dot.base");
  const head = document.querySelector("svg.plot .dot.head");
  // text outside every scroll box must fit the viewport
  let wide = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.closest(".scroll") || el.closest("svg")) continue;
    const b = el.getBoundingClientRect();
    if (b.right > window.innerWidth + 1) wide.push(el.tagName + " " + Math.round(b.right));
  }
  return {
    figs, wide: wide.slice(0, 5), inner: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    baseFill: base && getComputedStyle(base).fill, headFill: head && getComputedStyle(head).fill,
    baseTag: base && base.tagName, headTag: head && head.tagName,
    verdict: document.querySelector(".verdict")?.textContent || "",
    tables: document.querySelectorAll("table").length,
    captions: document.querySelectorAll("table > caption").length,
    checks: checksTable(),
  };
  // the checks table: how far it overflows its scroll box, and the lines
  // of each scenario and check name (its height over its line height)
  function checksTable() {
    const box = document.querySelector("#checks .scroll");
    if (!box) return null;
    const lines = (td) => {
      const r = document.createRange();
      r.selectNodeContents(td);
      const tops = new Set([...r.getClientRects()].map((c) => Math.round(c.top)));
      return tops.size;
    };
    const rows = [...box.querySelectorAll("tbody tr")];
    return {
      overflow: box.scrollWidth - box.clientWidth,
      scenarioLines: Math.max(0, ...rows.map((tr) => lines(tr.cells[2]))),
      checkLines: Math.max(0, ...rows.map((tr) => lines(tr.cells[1]))),
      limitLines: Math.max(0, ...rows.map((tr) => lines(tr.cells[7]))),
      cut: rows.filter((tr) => [...tr.cells].some((td) => td.getBoundingClientRect().right > box.getBoundingClientRect().right + 1)).length,
    };
  }
});

for (const width of [375, 1280]) {
  await page.setViewportSize({ width, height: 900 });
  const m = await measure();
  check(`${width}px: no horizontal scrolling of the page`, m.scrollWidth <= m.inner, [m.scrollWidth, m.inner]);
  check(`${width}px: text and charts inside the viewport`, m.wide.length === 0 && m.figs.every((f) => f.right <= m.inner + 1), m.wide);
  check(`${width}px: every mark drawn inside its plot`, m.figs.every((f) => f.outside === 0), m.figs.map((f) => f.outside));
  if (width === 1280) {
    // a laptop reads the checks whole: no column behind a scroll, names
    // wrapped at most twice
    check("1280px: the checks table fits, no column cut behind a scroll",
      m.checks && m.checks.overflow <= 0 && m.checks.cut === 0, m.checks);
    check("1280px: scenario and check names wrap at most twice, limits at most once",
      m.checks && m.checks.scenarioLines <= 3 && m.checks.checkLines <= 3 && m.checks.limitLines <= 2, m.checks);
  }
  if (width === 375) {
    check("a plot per scenario", m.figs.length === want.length, [m.figs.length, want.length]);
    check("one mark per stored run per side and metric",
      m.figs.length === want.length && m.figs.every((f, i) => JSON.stringify(Object.entries(f.n).sort()) === JSON.stringify(Object.entries(want[i]).filter(([, v]) => v).sort())),
      m.figs.map((f, i) => [f.n, want[i]]));
    check("a median per side and metric", m.figs.every((f) => f.medians === 6), m.figs.map((f) => f.medians));
    check("plots are images with a label", m.figs.every((f) => f.role === "img" && f.label && f.label.length > 20));
    check("base blue circles, head orange diamonds",
      m.baseFill === "rgb(0, 114, 178)" && m.headFill === "rgb(230, 159, 0)" && m.baseTag === "circle" && m.headTag === "path",
      [m.baseFill, m.headFill, m.baseTag, m.headTag]);
    check("the verdict line first", /^(PASS|FAIL|INCONCLUSIVE|ERROR): /.test(m.verdict), m.verdict);
    check("every table has a caption", m.tables > 0 && m.tables === m.captions, [m.tables, m.captions]);
  }
  const shot = path.join(shots, `report-${width}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  check(`${width}px: screenshot saved`, fs.statSync(shot).size > 10000, shot);
}
await page.emulateMedia({ media: "print" });
const printed = await measure();
check("print: nothing wider than the page", printed.scrollWidth <= printed.inner, [printed.scrollWidth, printed.inner]);
check("no console errors or warnings", errors.length === 0, errors);
check("no network requests", requests.length === 0, requests);
await browser.close();
process.exit(failed);
