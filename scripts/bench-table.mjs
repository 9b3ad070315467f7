// Prints the figures scripts/bench.mjs wrote, one column per backend, as one Markdown table.
//
//   node scripts/bench-table.mjs sqlite=/tmp/a.json postgres=/tmp/b.json
import { readFileSync } from "node:fs";

const columns = process.argv.slice(2).map((arg) => {
  const [label, file] = arg.split("=");
  return { label, r: JSON.parse(readFileSync(file, "utf8")) };
});
if (columns.length === 0) {
  console.error("usage: node scripts/bench-table.mjs LABEL=FILE.json ...");
  process.exit(2);
}
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (v) => `${v.toFixed(1)} ms`;
const rows = [];
const row = (what, cell) => rows.push([what, ...columns.map(({ r }) => cell(r))]);

const first = columns[0].r;
// pages that load the same files share one row
const groups = new Map();
for (const [i, b] of first.bundles.entries()) {
  const key = columns.map(({ r }) => r.bundles[i].brotli_bytes).join();
  groups.set(key, [...(groups.get(key) ?? []), i]);
}
for (const pages of groups.values()) {
  const names = pages.length === first.bundles.length ? `every page (${pages.length})` : pages.map((i) => first.bundles[i].page).join(", ");
  row(`bundle (JS + WASM, brotli): ${names}`, (r) => kb(r.bundles[pages[0]].brotli_bytes));
}
row("bundle, every file any page loads, once", (r) => {
  const sizes = Object.assign({}, ...r.bundles.map((b) => b.sizes));
  return kb(Object.values(sizes).reduce((a, b) => a + b, 0));
});
for (const [i, t] of first.renders.entries())
  row(`render ${t.kind === "owner" ? "(owner)" : "(visitor)"} ${t.page}: median / p99`, (r) => `${ms(r.renders[i].median_ms)} / ${ms(r.renders[i].p99_ms)}`);
row("throughput /login (8 connections, 8 s)", (r) => `${r.throughput.login.req_s.toFixed(0)} req/s`);
row("throughput /dashboard/members", (r) => `${r.throughput.members.req_s.toFixed(0)} req/s (mean ${ms(r.throughput.members.mean_ms)})`);
row("**member list ÷ login throughput** (goal ≥ 40 %)", (r) => `**${(r.throughput.ratio * 100).toFixed(0)} %**`);
row("assign to all matching, 100,000 members (first run)", (r) => `${r.assign.first_s.toFixed(1)} s`);
row(`assign to all matching, ${first.assign.runs.length} runs: median`, (r) => {
  const s = [...r.assign.runs].sort((a, b) => a - b);
  return `${s[Math.floor(s.length / 2)].toFixed(1)} s`;
});
row("server RSS after the load: peak / now", (r) => `${r.memory.peak_mib.toFixed(0)} / ${r.memory.now_mib.toFixed(0)} MiB`);

const header = ["measure", ...columns.map((c) => c.label)];
const out = [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`);
console.log(out.join("\n"));
