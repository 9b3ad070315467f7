// The measuring half of `make bench` (scripts/bench.sh starts the server and seeds it): against
// one running release server with seeded members, as its owner, it measures
//   - "assign to all matching" over every member, BADGES times (the first run's time is the
//     figure; ten runs over 100,000 members also fill the database with 1,000,000 assignments),
//   - the JavaScript + WASM each page loads, brotli-compressed, from the files under SITE_ROOT,
//   - render time (median, p99) of each dashboard page as the owner and each public page as a
//     visitor: RUNS sequential requests after 5 warm-up ones, time to the whole HTML,
//   - throughput of /login and of the member list with 8 connections for 8 s (autocannon),
//     and the member list's as a ratio to the login page's,
//   - the server's resident memory (peak and now, from /proc/PID/status) after that load,
// and writes them as JSON to OUT for scripts/bench-table.mjs.
//
//   node scripts/bench.mjs BASE_URL OWNER_EMAIL PASSWORD SERVER_PID SITE_ROOT OUT [RUNS=100] [BADGES=10]
import autocannon from "autocannon";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { assignAllMatching, client } from "./bench-lib.mjs";

const [base, email, password, pid, siteRoot, out, runs = "100", badgeRuns = "10"] = process.argv.slice(2);
if (!out) {
  console.error("usage: node scripts/bench.mjs BASE_URL OWNER_EMAIL PASSWORD SERVER_PID SITE_ROOT OUT [RUNS] [BADGES]");
  process.exit(2);
}
const RUNS = Number(runs);
const result = { assign: {}, bundles: [], renders: [], throughput: {}, memory: {} };
const fail = (message) => {
  console.error(`bench: ${message}`);
  process.exit(1);
};

const http = client(base, fail);
const { get } = http;
const unescape = (href) => href.replaceAll("&amp;", "&");
const cookie = await http.login(email, password);

// --- assign to all matching, BADGES times -------------------------------------------------
const { times: runTimes, firstBadge: badgeId } = await assignAllMatching(http, cookie, Number(badgeRuns), fail, (title, s, what) =>
  console.log(`  assign to all matching, ${title}: ${s} s (${what})`),
);
result.assign = { first_s: runTimes[0], runs: runTimes };

// --- the pages ------------------------------------------------------------------------------
const members = await get("/dashboard/members", cookie);
const community = await get("/community");
const publicMember = community.match(/href="(\/members\/[^"]+)"/)?.[1] ?? fail("no public member on /community");
const badgePage = (await get("/dashboard/badges", cookie)).match(/href="(\/badges\/[^"]+)"/)?.[1] ?? fail("no badge page link");
const memberEditor = members.match(/href="(\/dashboard\/members\/[0-9a-f-]{36})"/)?.[1] ?? fail("no member editor link");
const badgeEditor = (await get("/dashboard/badges", cookie)).match(/href="(\/dashboard\/badges\/[0-9a-f-]{36})"/)?.[1] ?? fail("no badge editor link");

// A deep page, reached the way a person reaches it: by following "Next".
const follow = async (path, pages, who) => {
  for (let page = 1; page < pages; page++) {
    const next = (await get(path, who)).match(/<a href="([^"]+)"[^>]*rel="next"/)?.[1];
    if (!next) fail(`${path} stops at page ${page}`);
    path = unescape(next);
  }
  return path;
};
const deep = await follow("/dashboard/members", 1000, cookie);
const deepHolders = await follow(badgePage, 200);

const dashboard = [
  "/dashboard",
  "/dashboard/badges",
  "/dashboard/badges/new",
  ["/dashboard/badges/(id): the editor", badgeEditor],
  "/dashboard/members",
  ["/dashboard/members, page 1000", deep],
  "/dashboard/members?q=garcia",
  "/dashboard/members?status=PENDING",
  "/dashboard/members?status=BLOCKED&sort=name",
  "/dashboard/members?privacy=PUBLIC&sort=last_login",
  "/dashboard/members?sort=nickname",
  ["/dashboard/members?holds=(a 100k badge)", `/dashboard/members?holds=${badgeId}`],
  ["/dashboard/members/(id): a member", memberEditor],
  "/dashboard/pages",
  "/dashboard/import",
  "/dashboard/settings",
  "/dashboard/settings/api-keys",
  "/dashboard/audit",
  "/dashboard/audit?action=deleted",
  ["/dashboard/audit?entity=(a member)", `/dashboard/audit?entity=${memberEditor.split("/").pop()}`],
];
const publicPages = [
  "/",
  "/login",
  "/signup",
  "/community",
  "/community?page=200",
  "/community?q=ada",
  ["/badges/(slug): a badge of 100,000 holders", badgePage],
  ["/badges/(slug), page 200", deepHolders],
  ["/members/(slug): a public profile", publicMember],
];

// --- bundle per page: the module scripts and WASM a page's HTML loads, as brotli files --------
const loads = (html) =>
  [...new Set([...html.matchAll(/(?:href|src)="(\/pkg\/[^"]+\.(?:js|wasm))"/g)].map((m) => m[1]))];
const brotli = (path) => {
  try {
    return statSync(`${siteRoot}${path}.br`).size;
  } catch {
    fail(`${siteRoot}${path}.br is missing: run the release build with --precompress`);
  }
};
for (const [label, path, who] of [
  ...dashboard.map((p) => [...(Array.isArray(p) ? p : [p, p]), cookie]),
  ...publicPages.map((p) => [...(Array.isArray(p) ? p : [p, p]), undefined]),
]) {
  const files = loads(await get(path, who));
  const sizes = Object.fromEntries(files.map((f) => [f, brotli(f)]));
  result.bundles.push({ page: label, sizes, brotli_bytes: Object.values(sizes).reduce((a, b) => a + b, 0) });
}

// --- render times -----------------------------------------------------------------------------
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const time = async (label, path, who, kind) => {
  const times = [];
  for (let i = 0; i < RUNS + 5; i++) {
    const t = performance.now();
    await get(path, who);
    if (i >= 5) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const row = { kind, page: label, median_ms: pct(times, 50), p99_ms: pct(times, 99) };
  console.log(`  ${kind} ${label}: median ${row.median_ms.toFixed(1)} ms, p99 ${row.p99_ms.toFixed(1)} ms`);
  result.renders.push(row);
};
for (const p of dashboard) await time(...(Array.isArray(p) ? p : [p, p]), cookie, "owner");
for (const p of publicPages) await time(...(Array.isArray(p) ? p : [p, p]), undefined, "visitor");

// --- throughput and memory --------------------------------------------------------------------
const load = (path, headers) =>
  new Promise((resolve, reject) =>
    autocannon({ url: base + path, connections: 8, duration: 8, headers: { accept: "text/html", ...headers } }, (err, r) =>
      err ? reject(err) : resolve(r),
    ),
  );
for (const [label, path, headers] of [
  ["login", "/login", {}],
  ["members", "/dashboard/members", { cookie }],
]) {
  const r = await load(path, headers);
  if (r.non2xx > 0 || r.errors > 0) fail(`${path} under load: ${r.non2xx} non-2xx, ${r.errors} errors`);
  result.throughput[label] = { req_s: r.requests.average, mean_ms: r.latency.average, p99_ms: r.latency.p99 };
  console.log(`  ${path}: ${r.requests.average.toFixed(0)} req/s, mean ${r.latency.average.toFixed(1)} ms`);
}
result.throughput.ratio = result.throughput.members.req_s / result.throughput.login.req_s;

const status = readFileSync(`/proc/${pid}/status`, "utf8");
const kib = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1]);
result.memory = { peak_mib: kib("VmHWM") / 1024, now_mib: kib("VmRSS") / 1024 };

writeFileSync(out, JSON.stringify(result, null, 2));
