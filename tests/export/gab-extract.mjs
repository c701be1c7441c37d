// Run github-action-benchmark's own parser on files of its custom format:
// src/extract.ts and src/config.ts of a checkout of
// benchmark-action/github-action-benchmark, compiled to CommonJS by npm
// typescript (transpileModule: no type check) into a temporary directory, and
// its extractResult() called as the action calls it, with tool
// customSmallerIsBetter and a push event's head_commit as the commit. Each
// file must give back every entry unchanged (name, unit, value, range, extra).
//
//   node gab-extract.mjs GAB-CHECKOUT FILE...
//
// Prints "ok - " / "not ok - " lines; exits 1 when any file is refused or
// changed, 2 on a usage error. The action's code is not part of spin-gate:
// the checkout is given, never fetched.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";

const [repo, ...files] = process.argv.slice(2);
if (!repo || !files.length) {
  console.error("usage: node gab-extract.mjs GAB-CHECKOUT FILE...");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "package.json"));
const ts = require("typescript");

// inside tests/export, so that the compiled files find its node_modules
const build = fs.mkdtempSync(path.join(here, ".gab-"));
let failed = 0;
try {
  for (const name of ["extract", "config"]) {
    const src = fs.readFileSync(path.join(repo, "src", `${name}.ts`), "utf8");
    const out = ts.transpileModule(src, {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2019,
        esModuleInterop: true,
      },
      fileName: `${name}.ts`,
    });
    fs.writeFileSync(path.join(build, `${name}.js`), out.outputText);
  }
  // @actions/github reads the event when it is first loaded
  const event = path.join(build, "event.json");
  fs.writeFileSync(event, JSON.stringify({
    head_commit: {
      author: { name: "a", email: "a@example.com", username: "a" },
      committer: { name: "a", email: "a@example.com", username: "a" },
      id: "0".repeat(40), message: "spin-gate export test", timestamp: "2026-12-07T00:00:00Z",
      url: "https://example.com/commit",
    },
  }));
  process.env.GITHUB_EVENT_PATH = event;
  process.env.GITHUB_EVENT_NAME = "push";
  const { extractResult } = require(path.join(build, "extract.js"));
  for (const f of files) {
    const want = JSON.parse(fs.readFileSync(f, "utf8"));
    try {
      const got = await extractResult({ tool: "customSmallerIsBetter", outputFilePath: f });
      if (got.tool === "customSmallerIsBetter" && isDeepStrictEqual(got.benches, want))
        console.log(`ok - ${f}: github-action-benchmark's extractResult() reads ${got.benches.length} entries unchanged`);
      else {
        failed = 1;
        console.log(`not ok - ${f}: github-action-benchmark's extractResult() changed the entries`);
        console.log(`#   ${JSON.stringify(got.benches).slice(0, 500)}`);
      }
    } catch (e) {
      failed = 1;
      console.log(`not ok - ${f}: github-action-benchmark's extractResult() refuses it`);
      console.log(`#   ${String(e.message || e).split("\n")[0].slice(0, 500)}`);
    }
  }
} finally {
  fs.rmSync(build, { recursive: true, force: true });
}
process.exit(failed);
