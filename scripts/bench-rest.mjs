// REST throughput next to the dashboard's badge list, measured in one run: C concurrent
// clients for S seconds per target, printing requests/s and latency percentiles, and each
// REST target's throughput as a ratio of the dashboard page's. Run it against a release build:
//
//   insignia --data-dir /tmp/bench create-owner --email owner@example.com   (password on stdin)
//   KEY=$(insignia --data-dir /tmp/bench api-key create --name bench --scopes badges.manage)
//   insignia --data-dir /tmp/bench --addr 127.0.0.1:3000 &
//   node scripts/bench-rest.mjs http://127.0.0.1:3000 owner@example.com PASSWORD "$KEY" [C=16] [S=10]
const [base, email, password, key, clients = "16", seconds = "10"] = process.argv.slice(2);
if (!key) {
  console.error("usage: node scripts/bench-rest.mjs BASE_URL OWNER_EMAIL PASSWORD KEY [CLIENTS] [SECONDS]");
  process.exit(2);
}
const C = Number(clients);
const S = Number(seconds);
const json = { authorization: key, "content-type": "application/json" };

// 50 badges to list and query
let first;
for (let i = 0; i < 50; i++) {
  const res = await fetch(`${base}/badges/v4/badges`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ badge: { title: `Bench ${i} ${Date.now()}`, backgroundColor: "#112233", textColor: "#FFFFFF" } }),
  });
  if (res.status !== 200) throw new Error(`create: ${res.status} ${await res.text()}`);
  first ??= (await res.json()).badge.id;
}

const loginPage = await (await fetch(`${base}/login`)).text();
const action = loginPage.match(/<form[^>]*action="([^"]+)"/)?.[1];
const login = await fetch(base + action, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ email, password }),
  redirect: "manual",
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
if (!cookie) throw new Error(`login failed: ${login.status}`);

const targets = [
  ["dashboard page GET /dashboard/badges", () => fetch(`${base}/dashboard/badges`, { headers: { cookie, accept: "text/html" } })],
  ["REST GET /badges/v4/badges/{id}", () => fetch(`${base}/badges/v4/badges/${first}`, { headers: { authorization: key } })],
  [
    "REST POST /badges/v4/badges/query (50)",
    () => fetch(`${base}/badges/v4/badges/query`, { method: "POST", headers: json, body: '{"query":{"paging":{"limit":50}}}' }),
  ],
];

async function measure(call) {
  const times = [];
  const end = performance.now() + S * 1000;
  await Promise.all(
    Array.from({ length: C }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const res = await call();
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        times.push(performance.now() - t);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))];
  return { rps: times.length / S, p50: pct(50), p99: pct(99) };
}

console.log(`${C} concurrent clients, ${S} s per target`);
console.log("target".padEnd(44), "req/s".padStart(9), "p50 ms".padStart(8), "p99 ms".padStart(8), "× page".padStart(8));
let page;
for (const [name, call] of targets) {
  await measure(call); // warm-up pass, not counted
  const r = await measure(call);
  page ??= r.rps;
  const f = (v, d = 1) => v.toFixed(d).padStart(8);
  console.log(name.padEnd(44), r.rps.toFixed(0).padStart(9), f(r.p50), f(r.p99), f(r.rps / page, 2));
}
