// history.html's picture for docs/history.md (bench/history-sh.sh): the page
// at 1280 px in Debian's chromium through playwright-core, nothing fetched,
// with only the series named kept (the others hidden, so the picture holds the
// summary, the change-point table and that series' chart).
//
//   node screenshot-history.mjs HISTORY-HTML PNG [METRIC]
//
// METRIC (default cpu) keeps the series whose heading ends with it. Exits 1
// when the page logs an error or has no such series.
import { chromium } from "playwright-core";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [html, png, metric = "cpu"] = process.argv.slice(2);
if (!html || !png) {
  console.error("usage: node screenshot-history.mjs HISTORY-HTML PNG [METRIC]");
  process.exit(2);
}
const url = pathToFileURL(path.resolve(html)).href;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const errors = [];
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
page.on("pageerror", (e) => errors.push(String(e)));
await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
await page.goto(url, { waitUntil: "load" });
const kept = await page.evaluate((m) => {
  let n = 0;
  for (const s of document.querySelectorAll("section.scenario")) {
    const h = s.querySelector("h3");
    if (h && h.textContent.trim().endsWith(" " + m)) n++;
    else s.style.display = "none";
  }
  return n;
}, metric);
if (kept !== 1) errors.push(`expected one series '${metric}', found ${kept}`);
await page.screenshot({ path: png, fullPage: true });
console.log(`wrote ${png}`);
await browser.close();
if (errors.length) {
  for (const e of errors) console.error(`screenshot-history: error: ${e}`);
  process.exit(1);
}
