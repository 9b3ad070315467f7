import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, OWNER, createBadge, logIn, open } from "./helpers";

test("add a webhook, send a test event and find it in the delivery log", async ({ page }) => {
  // a receiver on this machine that answers 200 and remembers what it got
  const got: IncomingHttpHeaders[] = [];
  const receiver = createServer((req, res) => {
    got.push(req.headers);
    req.resume();
    req.on("end", () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    await logIn(page, OWNER.email, OWNER.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await createBadge(page, `Hooked ${Math.random().toString(36).slice(2, 8)}`);

    await open(page, "/dashboard/settings");
    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
    await page.locator("body[data-hydrated]").waitFor();
    // refused without an event, next to the field
    await page.getByLabel("Receiver URL").fill(url);
    await page.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByText("Choose at least one event")).toBeVisible();
    await page.getByLabel("Standard Webhooks", { exact: false }).check();
    await page.getByLabel("Badge created").check();
    await page.getByRole("button", { name: "Add webhook" }).click();
    const item = page.getByRole("listitem").filter({ hasText: url });
    await expect(item).toContainText("Active");
    await expect(item).toContainText("Standard Webhooks");
    expect(got, "saving a webhook calls nothing").toHaveLength(0);

    await item.getByRole("button", { name: `Send a test event to ${url}` }).click();
    await expect(page.getByText("Test event queued")).toBeVisible();
    await item.getByRole("link", { name: `Delivery log of ${url}` }).click();
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();
    const delivered = page.getByRole("row").filter({ hasText: "badge_created" }).filter({ hasText: "200 delivered" });
    await expect(async () => {
      await page.reload();
      await expect(delivered.first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    expect(got.length).toBeGreaterThan(0);
    expect(got[0]["webhook-signature"]).toMatch(/^v1,/);
  } finally {
    receiver.close();
  }
});
