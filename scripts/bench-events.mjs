// The measuring half of scripts/bench-events.sh, against one running release server with
// seeded members, as its owner:
//   - webhook throughput: a Standard Webhooks receiver on this machine (answering 200), added
//     with the CLI for badge_assignment_created; "assign to all matching" makes one event per
//     member; deliveries/s is the count over the time from the first delivery to the last;
//   - event-to-browser latency over SSE: a live dashboard connection (/dashboard/live) open
//     while RUNS badge updates are made one after another through the REST API; each latency
//     is from sending the update to the event's arrival, beside the update call's own time
//     (the change commits inside it; the event can arrive before the answer is read).
//
//   node scripts/bench-events.mjs BASE_URL OWNER_EMAIL PASSWORD API_KEY BINARY DB_ARGS_JSON OUT [RUNS=200]
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { assignAllMatching, client } from "./bench-lib.mjs";

const [base, email, password, key, binary, dbArgs, out, runs = "200"] = process.argv.slice(2);
const fail = (m) => {
  console.error(`bench-events: ${m}`);
  process.exit(1);
};
const http = client(base, fail);
const cookie = await http.login(email, password);
const result = {};

// --- webhook throughput --------------------------------------------------------------------
const arrivals = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    arrivals.push(performance.now());
    res.writeHead(200).end();
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));
const hook = `http://127.0.0.1:${receiver.address().port}/hook`;
execFileSync(binary, [...JSON.parse(dbArgs), "webhook", "add", "--url", hook, "--format", "standard", "--events", "wix.badges.v4.badge_assignment_created"]);
const { times } = await assignAllMatching(http, cookie, 1, fail);
const expected = Number(process.env.BENCH_EVENTS_MEMBERS ?? 10000);
for (let i = 0; i < 1200 && arrivals.length < expected; i++) await new Promise((r) => setTimeout(r, 100));
if (arrivals.length < expected) fail(`only ${arrivals.length} of ${expected} deliveries arrived in 2 minutes`);
const span = (arrivals[arrivals.length - 1] - arrivals[0]) / 1000;
result.webhooks = { deliveries: arrivals.length, seconds: span, per_second: arrivals.length / span, run_s: times[0] };
console.log(`  webhooks: ${arrivals.length} deliveries in ${span.toFixed(1)} s: ${(arrivals.length / span).toFixed(0)}/s (the run itself ${times[0]} s)`);
receiver.close();

// --- event-to-browser latency over SSE ------------------------------------------------------
const api = (path, body) =>
  fetch(base + path, { method: body ? "POST" : "GET", headers: { authorization: key, "content-type": "application/json" }, body: body && JSON.stringify(body) });
const badge = await (await api("/badges/v4/badges", { badge: { title: `Latency ${Date.now()}`, backgroundColor: "#112233", textColor: "#FFFFFF" } })).json();
const id = badge.badge.id;
const heard = new Map(); // badge revision -> arrival time
const abort = new AbortController();
const stream = await fetch(base + "/dashboard/live", { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
if (stream.status !== 200) fail(`/dashboard/live: ${stream.status}`);
let count = 0;
(async () => {
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of stream.body) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.includes("event:badge") || block.includes("event: badge\n")) {
          const data = block.split("\n").find((l) => l.startsWith("data:"));
          if (data && data.includes(id)) heard.set(++count, performance.now());
        }
      }
    }
  } catch {
    // aborted at the end
  }
})();
const latencies = [];
const calls = [];
for (let n = 1; n <= Number(runs); n++) {
  const sent = performance.now();
  const res = await fetch(`${base}/badges/v4/badges/${id}`, {
    method: "PATCH",
    headers: { authorization: key, "content-type": "application/json" },
    body: JSON.stringify({ badge: { description: `update ${n}` } }),
  });
  if (!res.ok) fail(`update ${n}: ${res.status}`);
  await res.text();
  calls.push(performance.now() - sent);
  for (let i = 0; i < 500 && !heard.has(n); i++) await new Promise((r) => setTimeout(r, 2));
  if (!heard.has(n)) fail(`update ${n} was not heard within a second`);
  latencies.push(heard.get(n) - sent);
}
abort.abort();
const pick = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
result.sse = { runs: latencies.length, median_ms: pick(latencies, 50), p99_ms: pick(latencies, 99), call_median_ms: pick(calls, 50), call_p99_ms: pick(calls, 99) };
console.log(
  `  SSE: ${latencies.length} changes, update to browser median ${pick(latencies, 50).toFixed(1)} ms, p99 ${pick(latencies, 99).toFixed(1)} ms` +
    ` (the update call alone: median ${pick(calls, 50).toFixed(1)} ms, p99 ${pick(calls, 99).toFixed(1)} ms)`,
);
writeFileSync(out, JSON.stringify(result));
process.exit(0);
