// @octokit/fixtures-server as express middleware (the way its README shows),
// serving the scenarios in tests/github/fixtures/*.json (nock definitions,
// the format of @octokit/fixtures) on 127.0.0.1 only. The standalone
// `octokit-fixtures-server` listens on every interface, hence this file.
//
//   node fixtures-server.mjs --port-file FILE --fixtures-url URL [--lifetime SECONDS]
//
// POST /fixtures {"scenario": NAME} loads a scenario and answers its base URL
// (on --fixtures-url, the recording proxy in front of this server). Requests
// must come in the recorded order; each fixture answers once. After the
// last one the scenario is gone: a further request gets 404 'Fixture "ID"
// not found', which is how the tests prove every recorded request was made.
import express from "express";
import fixtureServerMiddleware from "@octokit/fixtures-server";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];

const dir = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
const fixtures = {};
for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")))
  fixtures[f.replace(/\.json$/, "")] = JSON.parse(readFileSync(join(dir, f), "utf8"));

const app = express();
app.use(fixtureServerMiddleware({ fixturesUrl: args["fixtures-url"], logLevel: "warn", ttl: 120000, fixtures }));
const server = app.listen(0, "127.0.0.1", () => writeFileSync(args["port-file"], String(server.address().port)));
process.on("SIGTERM", () => process.exit(0));
setTimeout(() => process.exit(0), Number(args.lifetime || 300) * 1000).unref();
