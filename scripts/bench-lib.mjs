// What the benchmark scripts share: talking to a running Insignia as its owner through the same
// forms a browser posts, and "assign to all matching" timed by the server's own report.

/** A client of the server at `base`: GETs of whole pages and form posts, with a cookie. */
export function client(base, fail) {
  // a form's action is its server function's address, which has the function's name in it
  const formAction = (html, name) => html.match(new RegExp(`action="([^"]*${name}[^"]*)"`))?.[1];
  const post = (path, fields, cookie) =>
    fetch(base + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
  const get = async (path, cookie) => {
    const res = await fetch(base + path, {
      headers: { accept: "text/html", ...(cookie ? { cookie } : {}) },
      signal: AbortSignal.timeout(30_000),
    });
    const body = await res.text();
    if (res.status !== 200 || !body.includes("</html>")) fail(`${path}: status ${res.status}`);
    return body;
  };
  const login = async (email, password) => {
    const res = await post(formAction(await get("/login"), "login"), { email, password });
    const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
    if (!cookie) fail(`login failed: ${res.status}`);
    return cookie;
  };
  return { formAction, post, get, login };
}

/**
 * Makes `count` badges and runs "assign to all matching" over every member for each, one after
 * the other; the seconds of each run as the server reports them. `onRun(title, seconds, what)`
 * hears each as it ends.
 */
export async function assignAllMatching(http, cookie, count, fail, onRun = () => {}) {
  const { formAction, post, get } = http;
  const editor = await get("/dashboard/badges/new", cookie);
  const stamp = Date.now().toString(36);
  const titles = [];
  for (let i = 1; i <= count; i++) {
    const title = `Bench ${stamp} ${i}`;
    const res = await post(formAction(editor, "save_badge"), { title, description: "", background_color: "#334155", text_color: "#ffffff", icon_kind: "none" }, cookie);
    if (res.status >= 400) fail(`creating ${title}: ${res.status} ${await res.text()}`);
    titles.push(title);
  }
  const members = await get("/dashboard/members", cookie);
  const start = formAction(members, "assign_all_matching");
  const times = [];
  let firstBadge;
  for (const title of titles) {
    const id = members.match(new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${title}(?:<!>)?</option>`))?.[1];
    firstBadge ??= id;
    const res = await post(start, { badge_id: id, action: "assign", reason: "benchmark" }, cookie);
    if (!res.ok) fail(`starting a run for ${title}: ${res.status} ${await res.text()}`);
    for (;;) {
      const html = await get("/dashboard/members", cookie);
      const row = html.split(`Assign “${title}” to all matching members`)[1]?.split("</li>")[0] ?? "";
      const done = row.match(/Done\. (.*?) Took ([\d.]+) s\./);
      if (done) {
        times.push(Number(done[2]));
        onRun(title, Number(done[2]), done[1]);
        break;
      }
      if (row.includes("Stopped after")) fail(`run for ${title} failed: ${row}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { times, firstBadge };
}
