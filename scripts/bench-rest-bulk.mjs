// The bulk REST calls on a large site, measured in one run: `queryMembers` of 100 members,
// `bulkCreateBadgeAssignments` of 100 items, and a by-filter job over every member (block all,
// then approve all), timed from the call until its effect shows in a query. Run it against a
// release build with seeded members, once on SQLite and once on PostgreSQL:
//
//   insignia --data-dir /tmp/bench seed --members 100000
//   KEY=$(insignia --data-dir /tmp/bench api-key create --name bench --scopes badges.manage,members.manage)
//   insignia --data-dir /tmp/bench --addr 127.0.0.1:3000 &
//   node scripts/bench-rest-bulk.mjs http://127.0.0.1:3000 "$KEY" [CALLS=30]
const [base, key, calls = "30"] = process.argv.slice(2);
if (!key) {
  console.error("usage: node scripts/bench-rest-bulk.mjs BASE_URL KEY [CALLS]");
  process.exit(2);
}
const N = Number(calls);
const MEMBERS = `${base}/_api/members/v1/members`;

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: key, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function report(name, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${name.padEnd(44)} calls ${String(times.length).padStart(4)}  mean ${mean.toFixed(1).padStart(7)} ms  p50 ${at(0.5).toFixed(1).padStart(7)} ms  p95 ${at(0.95).toFixed(1).padStart(7)} ms`);
}

const total = (await post(`${MEMBERS}/query`, { query: { paging: { limit: 1 } } })).metadata.total;
console.log(`members on the site: ${total}`);

// queryMembers of 100, at offsets spread over the whole list
const queryTimes = [];
for (let i = 0; i < N; i++) {
  const offset = Math.floor((i / N) * Math.max(0, total - 100));
  const t = performance.now();
  const page = await post(`${MEMBERS}/query`, { query: { paging: { limit: 100, offset } }, fieldsets: ["FULL"] });
  queryTimes.push(performance.now() - t);
  if (page.members.length !== 100) throw new Error(`query: ${page.members.length} members`);
}
report("queryMembers (100, FULL, by offset)", queryTimes);

// bulkCreateBadgeAssignments of 100: each call a fresh badge for 100 members
const bulkTimes = [];
for (let i = 0; i < N; i++) {
  const offset = Math.floor(Math.random() * Math.max(0, total - 100));
  const ids = (await post(`${MEMBERS}/query`, { query: { paging: { limit: 100, offset } } })).members.map((m) => m.id);
  const badge = (
    await post(`${base}/badges/v4/badges`, {
      badge: { title: `Bulk ${i} ${Date.now()}`, backgroundColor: "#112233", textColor: "#FFFFFF" },
    })
  ).badge;
  const items = ids.map((memberId) => ({ badgeId: badge.id, memberId, tags: { tags: { tagIds: ["bench"] } } }));
  const t = performance.now();
  const res = await post(`${base}/badges/v4/bulk/badge-assignments/create`, { badgeAssignments: items, returnEntity: true });
  bulkTimes.push(performance.now() - t);
  if (res.bulkActionMetadata.totalSuccesses !== 100) throw new Error(`bulk: ${JSON.stringify(res.bulkActionMetadata)}`);
}
report("bulkCreateBadgeAssignments (100 items)", bulkTimes);

// a by-filter job over every member: from the call until a query shows all of them changed
async function job(path, status) {
  const t = performance.now();
  await post(`${MEMBERS}/bulk/${path}`, { filter: {} });
  for (;;) {
    const changed = (await post(`${MEMBERS}/query`, { query: { filter: { status }, paging: { limit: 1 } } })).metadata.total;
    if (changed === total) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t) / 1000;
  console.log(`${`${path} over ${total} members`.padEnd(44)} ${seconds.toFixed(2)} s  (${Math.round(total / seconds)} members/s)`);
}
await job("block-by-filter", "BLOCKED");
await job("approve-by-filter", "APPROVED");
