// Write GitHub's REST API description (npm @octokit/openapi), adjusted for
// Prism, to the file named by argv[2]. Used by tests/e2e/50-post-prism.sh.
//
// The adjustments serve the mock; none loosens what a request must be:
//  1. GitHub documents its media type as "Accept: application/vnd.github+json"
//     but describes responses as application/json only, so Prism's content
//     negotiation answers 406 to GitHub's own Accept header. Every response
//     described as application/json is also described, identically, as
//     application/vnd.github+json.
//  2. The example Link header of "list issue comments" points at
//     https://api.github.com/resource?page=2, a page that is not on the mock:
//     it is removed (pagination is tested against recorded fixtures).
//  3. The example list of issue comments gets two more comments starting
//     with <!-- spin-gate:prism-sticky -->: one by github-actions[bot], then
//     one by the login that the example of GET /user answers (octocat), so
//     the sticky mode finds the token's own comment to PATCH and passes over
//     the other.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const path = require.resolve("@octokit/openapi/generated/api.github.com.json");
const spec = JSON.parse(readFileSync(path, "utf8"));

let aliased = 0;
for (const ops of Object.values(spec.paths)) {
  for (const op of Object.values(ops)) {
    if (!op || typeof op !== "object" || !op.responses) continue;
    for (const res of Object.values(op.responses)) {
      const content = res && res.content;
      if (content && content["application/json"] && !content["application/vnd.github+json"]) {
        content["application/vnd.github+json"] = content["application/json"];
        aliased++;
      }
    }
  }
}
for (const res of Object.values(spec.components.responses)) {
  const content = res && res.content;
  if (content && content["application/json"] && !content["application/vnd.github+json"]) {
    content["application/vnd.github+json"] = content["application/json"];
    aliased++;
  }
}

const list = spec.paths["/repos/{owner}/{repo}/issues/{issue_number}/comments"].get.responses["200"];
delete list.headers.Link;

// The login Prism answers to GET /user: its first example's.
const userExamples = spec.paths["/user"].get.responses["200"].content["application/json"].examples;
const userRef = Object.values(userExamples)[0].$ref.split("/").pop();
const me = spec.components.examples[userRef].value.login;

const items = spec.components.examples["issue-comment-items"].value;
const marked = (id, login, type) => {
  const c = JSON.parse(JSON.stringify(items[0]));
  c.id = id;
  c.node_id = `IC_kwDOspingate${id}`;
  c.body = "<!-- spin-gate:prism-sticky -->\nPASS: old verdict";
  c.html_url = `https://github.com/octocat/Hello-World/issues/1347#issuecomment-${id}`;
  c.user = { ...c.user, login, type };
  return c;
};
items.push(marked(4000000001, "github-actions[bot]", "Bot"), marked(4000000002, me, "User"));

writeFileSync(process.argv[2], JSON.stringify(spec));
console.error(`prism-spec: ${aliased} responses aliased to application/vnd.github+json`);
