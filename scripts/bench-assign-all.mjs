// Time of "assign to all matching" over every member, as an admin starts it: logs in, creates
// BADGES badges, then for each starts a background run over all members (no filter) and waits
// for the member list to show it done. Prints the run's own time (start to last batch, from
// the server) and the time the admin waited (until the page showed it done). With 100,000
// members and 10 badges this also fills the database with 1,000,000 assignments.
//
//   insignia --data-dir /tmp/bench seed --members 100000
//   node scripts/bench-assign-all.mjs http://127.0.0.1:3000 owner@example.com PASSWORD [BADGES=1]
const [base, email, password, count = "1"] = process.argv.slice(2);
if (!password) {
  console.error("usage: node scripts/bench-assign-all.mjs BASE_URL OWNER_EMAIL PASSWORD [BADGES]");
  process.exit(2);
}
// a form's action is its server function's address, which has the function's name in it
const formAction = (html, name) => html.match(new RegExp(`action="([^"]*${name}[^"]*)"`))?.[1];
const post = (path, fields, cookie) =>
  fetch(base + path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields),
    redirect: "manual",
  });

const login = await post(formAction(await (await fetch(`${base}/login`)).text(), "login"), { email, password });
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
if (!cookie) {
  console.error(`login failed: ${login.status}`);
  process.exit(1);
}
const page = async (path) => (await fetch(base + path, { headers: { cookie, accept: "text/html" } })).text();

const stamp = Date.now().toString(36);
const editor = await page("/dashboard/badges/new");
const save = formAction(editor, "save_badge");
const titles = [];
for (let i = 1; i <= Number(count); i++) {
  const title = `Bench ${stamp} ${i}`;
  const res = await post(save, { title, description: "", background_color: "#334155", text_color: "#ffffff", icon_kind: "none" }, cookie);
  if (res.status >= 400) {
    console.error(`creating ${title}: ${res.status} ${await res.text()}`);
    process.exit(1);
  }
  titles.push(title);
}

const members = await page("/dashboard/members");
const start = formAction(members, "assign_all_matching");
console.log(`${titles.length} run(s) over all members, one after another`);
for (const title of titles) {
  const id = members.match(new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${title}</option>`))?.[1];
  const t = performance.now();
  const res = await post(start, { badge_id: id, action: "assign", reason: "benchmark" }, cookie);
  if (!res.ok) {
    console.error(`starting ${title}: ${res.status} ${await res.text()}`);
    process.exit(1);
  }
  for (;;) {
    const html = await page("/dashboard/members");
    const row = html.split(`Assign “${title}” to all matching members`)[1]?.split("</li>")[0] ?? "";
    const done = row.match(/Done\. (.*?) Took ([\d.]+) s\./);
    if (done) {
      console.log(`${title}: run ${done[2]} s, admin waited ${((performance.now() - t) / 1000).toFixed(1)} s — ${done[1]}`);
      break;
    }
    if (row.includes("Stopped after")) {
      console.error(`${title}: failed: ${row}`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
