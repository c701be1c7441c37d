// A recording proxy for the end-to-end tests of `spin-gate post`: every
// request is written, whole, to a JSON-lines log (method, path, headers,
// body), then forwarded to --upstream and its answer passed back unchanged.
// With --validate URL, a copy of each request is also sent to a Prism mock
// started with --errors (path stripped by --strip REGEX) and Prism's verdict
// is logged: "prism_status" and "prism_violations" (its sl-violations
// header). When the upstream itself is Prism, its sl-violations header is
// logged as "violations". So scenarios answered by @octokit/fixtures-server are still
// checked against GitHub's REST API description.
//
//   node proxy.mjs --upstream http://127.0.0.1:P --log FILE --port-file FILE [--port N]
//                  [--validate http://127.0.0.1:Q] [--strip '^/api\.github\.com/[^/]+']
//
// Listens on 127.0.0.1 on a free port (written to --port-file), stops on
// SIGTERM, and by itself after --lifetime seconds (default 300).
import http from "node:http";
import { appendFileSync, writeFileSync } from "node:fs";

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, "")] = process.argv[i + 1];
const upstream = new URL(args.upstream);
const validate = args.validate ? new URL(args.validate) : null;
const strip = args.strip ? new RegExp(args.strip) : null;

function send(target, method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const h = { ...headers, host: target.host };
    delete h["content-length"];
    delete h.connection;
    if (body.length) h["content-length"] = String(body.length);
    const req = http.request(
      { host: target.hostname, port: target.port, method, path, headers: h },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    const body = Buffer.concat(chunks);
    const entry = { method: req.method, path: req.url, headers: req.headers, body: body.toString("utf8") };
    try {
      if (validate) {
        const vpath = strip ? req.url.replace(strip, "") : req.url;
        const v = await send(validate, req.method, vpath, req.headers, body);
        entry.prism_status = v.status;
        entry.prism_violations = v.headers["sl-violations"] || null;
      }
      const up = await send(upstream, req.method, req.url, req.headers, body);
      entry.status = up.status;
      entry.violations = up.headers["sl-violations"] || null;
      appendFileSync(args.log, JSON.stringify(entry) + "\n");
      const h = { ...up.headers };
      delete h["transfer-encoding"];
      h["content-length"] = String(up.body.length);
      res.writeHead(up.status, h);
      res.end(up.body);
    } catch (e) {
      entry.error = String(e);
      appendFileSync(args.log, JSON.stringify(entry) + "\n");
      res.writeHead(599);
      res.end();
    }
  });
});

server.listen(Number(args.port || 0), "127.0.0.1", () => writeFileSync(args["port-file"], String(server.address().port)));
process.on("SIGTERM", () => process.exit(0));
setTimeout(() => process.exit(0), Number(args.lifetime || 300) * 1000).unref();
