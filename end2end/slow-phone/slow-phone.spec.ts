import { test, expect, type Page } from "@playwright/test";
import { appendFileSync } from "node:fs";

// The slow-phone check (issue 16): the member list and the badge editor opened on a phone over a
// slow connection, timed from the start of navigation to the moment an interaction works.
// Chrome DevTools' "Slow 4G" preset, in its own terms (1.6 Mbit/s down and 750 kbit/s up, each at
// 90 %, and a 150 ms round trip times 3.75), and a CPU four times slower than this machine's.
const SLOW_4G = {
  offline: false,
  latency: 150 * 3.75,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
};
const CPU_SLOWDOWN = 4;

const email = process.env.SLOW_PHONE_EMAIL ?? "";
const password = process.env.SLOW_PHONE_PASSWORD ?? "";
const out = process.env.SLOW_PHONE_OUT;

/** One figure: which page, first visit or again (cache), what became possible, after how long. */
function report(page: string, cache: string, what: string, ms: number) {
  console.log(`${page} (${cache}): ${what} after ${ms} ms`);
  if (out) appendFileSync(out, JSON.stringify({ page, cache, what, ms }) + "\n");
}

/** Throttles this page as the phone; `cold` empties the cache first (a first visit). */
async function asPhone(page: Page, cold: boolean) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  if (cold) await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.emulateNetworkConditions", SLOW_4G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return cdp;
}

/** Navigates and answers the milliseconds from the start to each of `steps`, in order. */
async function timed(page: Page, url: string, steps: [string, () => Promise<void>][]) {
  const started = Date.now();
  await page.goto(url, { waitUntil: "commit" });
  const times: [string, number][] = [];
  for (const [what, step] of steps) {
    await step();
    times.push([what, Date.now() - started]);
  }
  return times;
}

const hydrated = (page: Page) => () => page.locator("body[data-hydrated]").waitFor({ timeout: 150_000 });

test.beforeEach(async ({ page }) => {
  expect(email, "run through scripts/slow-phone.sh").not.toBe("");
  await page.goto("/login");
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

for (const cache of ["first visit", "again"]) {
  const cold = cache === "first visit";

  test(`member list on a slow phone, ${cache}`, async ({ page }) => {
    if (!cold) await page.goto("/dashboard/members"); // fills the cache
    await asPhone(page, cold);
    if (cold) {
      // what the bundle travels as (the server picks brotli or gzip from what the browser asks)
      page.on("response", (response) => {
        if (!response.url().endsWith(".wasm")) return;
        const headers = response.headers();
        const kb = Math.round(Number(headers["content-length"] ?? 0) / 1024);
        console.log(`bundle: ${response.url().split("/").pop()} sent as ${headers["content-encoding"] ?? "identity"}, ${kb} KB`);
        if (out) appendFileSync(out, JSON.stringify({ bundle: `${headers["content-encoding"] ?? "identity"}, ${kb} KB` }) + "\n");
      });
    }
    const search = page.getByLabel("Name, nickname or email");
    const selectAll = page.getByLabel("Select every member on this page");
    const times = await timed(page, "/dashboard/members", [
      ["the list is shown", () => search.waitFor({ timeout: 150_000 })],
      ["the page is interactive (hydrated)", hydrated(page)],
      [
        "ticking every row works",
        async () => {
          await selectAll.check();
          await expect(page.getByText(/^\d+ members selected$/)).toBeVisible({ timeout: 30_000 });
        },
      ],
    ]);
    for (const [what, ms] of times) report("member list", cache, what, ms);

    // a search typed as soon as the field shows: the form answers with or without the WASM
    if (cold) await page.context().newCDPSession(page).then((c) => c.send("Network.clearBrowserCache"));
    const searched = await timed(page, "/dashboard/members", [
      [
        "a search typed at once is answered",
        async () => {
          await search.fill("nobody-has-this-name");
          await search.press("Enter");
          await expect(page.getByText("No member matches these filters.")).toBeVisible({ timeout: 150_000 });
        },
      ],
    ]);
    for (const [what, ms] of searched) report("member list", cache, what, ms);
  });

  test(`badge editor on a slow phone, ${cache}`, async ({ page }) => {
    if (!cold) await page.goto("/dashboard/badges/new");
    await asPhone(page, cold);
    const swatch = page.getByRole("button", { name: "Background colour #047857" });
    const preview = page.getByRole("group", { name: "On a dark page" }).locator(".badge-chip");
    const times = await timed(page, "/dashboard/badges/new", [
      ["the editor is shown", () => swatch.waitFor({ timeout: 150_000 })],
      ["the page is interactive (hydrated)", hydrated(page)],
      [
        "picking a colour shows in the preview",
        async () => {
          await swatch.click();
          await expect(preview).toHaveCSS("background-color", "rgb(4, 120, 87)", { timeout: 30_000 });
        },
      ],
    ]);
    for (const [what, ms] of times) report("badge editor", cache, what, ms);
  });
}
