// STAND-IN for actions/cache@v4 (see action.yml): `node cache.js` restores
// in the main step and saves in the post step (told apart by the state the
// main step leaves). Files only on this machine, under $SPIN_GATE_ACT_CACHE.
"use strict";
const fs = require("fs");
const path = require("path");

const input = (n) => (process.env["INPUT_" + n.toUpperCase()] || "").trim();
const append = (file, line) => fs.appendFileSync(process.env[file], line + "\n");
const root = process.env.SPIN_GATE_ACT_CACHE;
if (!root) {
  console.log("::error::cache stand-in: SPIN_GATE_ACT_CACHE is not set (the test sets it)");
  process.exit(1);
}
const key = input("key");
const paths = input("path").split("\n").map((p) => p.trim()).filter(Boolean);
const dir = path.join(root, encodeURIComponent(key));

if (process.env.STATE_phase !== "main-done") {
  append("GITHUB_STATE", "phase=main-done");
  const hit = fs.existsSync(path.join(dir, "complete"));
  if (hit) {
    paths.forEach((p, i) => fs.cpSync(path.join(dir, String(i)), p, { recursive: true }));
  }
  append("GITHUB_STATE", "hit=" + hit);
  append("GITHUB_OUTPUT", "cache-hit=" + hit);
  console.log(`cache stand-in: ${hit ? "restored" : "no cache for"} key ${key}`);
} else if (process.env.STATE_hit === "true") {
  console.log(`cache stand-in: key ${key} was restored; not saving`);
} else {
  const tmp = dir + ".tmp-" + process.pid;
  paths.forEach((p, i) => {
    if (fs.existsSync(p)) fs.cpSync(p, path.join(tmp, String(i)), { recursive: true });
  });
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(path.join(tmp, "complete"), key + "\n");
  try {
    fs.renameSync(tmp, dir);
    console.log(`cache stand-in: saved key ${key}`);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    console.log(`cache stand-in: key ${key} already saved by another job`);
  }
}
