// The pictures in README and docs/, from a gate's output directory: report.html
// at a desktop and a phone width, and verdict.md's CPU chart as mermaid draws
// it (check-mermaid.mjs, which checks it on the way). Debian's chromium through
// playwright-core; nothing fetched. `make screenshots OUT=DIR` runs it after
// tests/browser/setup.sh and squeezes the PNGs with pngquant and optipng.
//
//   node screenshot.mjs OUT-DIR IMG-DIR
//
// Writes IMG-DIR/report-desktop.png (1280 px wide, the first 1000 px of the
// page), IMG-DIR/report-phone.png (375 px wide, 2x, the first 760 px),
// IMG-DIR/report-spin.png (at 1280 px, the section of the scenario whose median
// CPU time changed the most between base and head: the spin, when there is
// one) and IMG-DIR/chart-cpu.png. Exits 1 when a page logs an error, the
// section is missing, or a chart fails its checks.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [out, img] = process.argv.slice(2);
if (!out || !img) {
  console.error("usage: node screenshot.mjs OUT-DIR IMG-DIR");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const html = path.resolve(out, "report.html");
const url = pathToFileURL(html).href;
fs.mkdirSync(img, { recursive: true });

// the scenario whose median CPU time (user + system) differs most, as a ratio
const median = (xs) => { const v = [...xs].sort((a, b) => a - b); return v.length ? (v[(v.length - 1) >> 1] + v[v.length >> 1]) / 2 : NaN; };
const results = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8"));
let spin = null, most = 0;
for (const sc of results.scenarios) {
  const cpu = (side) => median((sc.samples[side] || []).filter((x) => !x.warmup && x.user != null && x.system != null).map((x) => x.user + x.system));
  const b = cpu("base"), h = cpu("head");
  const ratio = b > 0 && h > 0 ? Math.max(b / h, h / b) : 0;
  if (ratio > most) { most = ratio; spin = sc.name; }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const errors = [];
for (const [name, width, height, scale] of [["report-desktop", 1280, 1000, 1], ["report-phone", 375, 760, 2]]) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
  page.on("console", (m) => { if (m.type() === "error") errors.push(`${name}: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`${name}: ${e}`));
  await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: "load" });
  await page.screenshot({ path: path.join(img, `${name}.png`) });
  console.log(`wrote ${path.join(img, `${name}.png`)}`);
  if (name === "report-desktop") {
    const section = page.locator("section.scenario").filter({ has: page.locator("h3", { hasText: new RegExp(`^\\s*${(spin || "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*$`) }) }).first();
    if (!spin || !(await section.count())) {
      errors.push(`no section for scenario '${spin}'`);
    } else {
      await section.screenshot({ path: path.join(img, "report-spin.png") });
      console.log(`wrote ${path.join(img, "report-spin.png")} (${spin}: CPU ${most.toFixed(1)}x apart)`);
    }
  }
  await page.close();
}
await browser.close();

// the chart: rendered and checked by mermaid in the same chromium
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spin-gate-shots."));
try {
  execFileSync(process.execPath, [path.join(here, "check-mermaid.mjs"), path.join(out, "verdict.md"),
    path.join(out, "results.json"), tmp], { stdio: ["ignore", "inherit", "inherit"] });
  fs.copyFileSync(path.join(tmp, "chart-1.png"), path.join(img, "chart-cpu.png"));
  console.log(`wrote ${path.join(img, "chart-cpu.png")}`);
} catch (e) {
  errors.push(`chart: ${e.message}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
for (const e of errors) console.error(`screenshot.mjs: error: ${e}`);
process.exit(errors.length ? 1 : 0);
