// Server render times of dashboard pages, as an admin sees them: logs in, then requests each
// page N times one after another (after a few warm-up requests) and prints the median, p90,
// p99 and max time to the whole HTML. Run it against a release build on a seeded database:
//
//   insignia --data-dir /tmp/bench seed --members 100000
//   node scripts/bench-render.mjs http://127.0.0.1:3000 owner@example.com PASSWORD [N=200]
const [base, email, password, runs = "200"] = process.argv.slice(2);
if (!password) {
  console.error("usage: node scripts/bench-render.mjs BASE_URL OWNER_EMAIL PASSWORD [RUNS]");
  process.exit(2);
}
const N = Number(runs);

// The login form's action is the server function's address.
const loginPage = await (await fetch(`${base}/login`)).text();
const action = loginPage.match(/<form[^>]*action="([^"]+)"/)?.[1];
const login = await fetch(base + action, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ email, password }),
  redirect: "manual",
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
if (!login.ok || !cookie) {
  console.error(`login failed: ${login.status} ${await login.text()}`);
  process.exit(1);
}

const pages = [
  "/dashboard/members",
  "/dashboard/members?page=1000",
  "/dashboard/members?q=garcia",
  "/dashboard/members?status=BLOCKED&sort=name",
  "/dashboard/members?privacy=PUBLIC&sort=last_login",
  "/dashboard/members?sort=nickname",
  "/community",
];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
console.log(`${N} requests each, sequential, ms to the whole page`);
console.log("page".padEnd(52), "median".padStart(8), "p90".padStart(8), "p99".padStart(8), "max".padStart(8));
for (const path of pages) {
  const times = [];
  for (let i = 0; i < N + 5; i++) {
    const t = performance.now();
    let res, body;
    try {
      res = await fetch(base + path, { headers: { cookie, accept: "text/html" }, signal: AbortSignal.timeout(10_000) });
      body = await res.text();
    } catch (e) {
      console.error(`${path}: no complete answer within 10 s (${e.name})`);
      process.exit(1);
    }
    if (res.status !== 200 || !body.includes("</html>")) {
      console.error(`${path}: ${res.status}`);
      process.exit(1);
    }
    if (i >= 5) times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const f = (v) => v.toFixed(1).padStart(8);
  console.log(path.padEnd(52), f(pct(times, 50)), f(pct(times, 90)), f(pct(times, 99)), f(times[times.length - 1]));
}
