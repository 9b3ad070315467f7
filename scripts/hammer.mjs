// Stress check for stalled responses: many concurrent page renders against a running server,
// each with a deadline. Prints how many requests finished, failed, or stalled.
//
//   node scripts/hammer.mjs http://127.0.0.1:3000 [requests=2000] [concurrency=20] [cookie]
const [base = "http://127.0.0.1:3000", total = "2000", concurrency = "20", cookie = ""] = process.argv.slice(2);
const paths = ["/", "/login", "/signup", "/community", "/dashboard", "/dashboard/members", "/profile"];
let next = 0, ok = 0, bad = 0, stalled = 0;
const started = Date.now();
async function worker() {
  while (next < Number(total)) {
    const path = paths[next++ % paths.length];
    try {
      const res = await fetch(base + path, {
        headers: { accept: "text/html", cookie },
        redirect: "manual",
        signal: AbortSignal.timeout(5000),
      });
      const body = await res.text();
      if (res.status < 500 && (res.status >= 300 || body.includes("</html>"))) ok++; else bad++;
    } catch (e) {
      if (e.name === "TimeoutError") stalled++; else bad++;
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
const secs = (Date.now() - started) / 1000;
console.log(`${ok} complete, ${bad} failed, ${stalled} stalled in ${secs.toFixed(1)} s (${(Number(total) / secs).toFixed(0)} pages/s)`);
process.exit(bad + stalled === 0 ? 0 : 1);
