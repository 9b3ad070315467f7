import { expect, test, OWNER, logIn, open, signUp, uniqueEmail } from "./helpers";

test("a member is refused the admin pages", async ({ page }, info) => {
  await signUp(page, uniqueEmail(info, "nosy"));
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" })).toHaveCount(0);

  for (const path of ["/dashboard", "/dashboard/members", "/dashboard/settings"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You don’t have access to this page" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Save settings" })).toHaveCount(0);
  }
});

test("the owner sees new members in the member list", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "listed");
  const visitor = await browser.newPage();
  await signUp(visitor, email);
  await visitor.close();

  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Members" }).click();
  await expect(page.getByRole("heading", { name: "Members" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: email });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Approved");
});

test("an unknown address shows a helpful 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByRole("link", { name: "Go to the home page" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("settings show the current values once the page is interactive", async ({ page }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await open(page, "/dashboard/settings");
  // a field filled by the server keeps its value after hydration (it once became "undefined")
  const name = page.getByLabel("Site name");
  await expect(name).not.toHaveValue("undefined");
  await expect(name).not.toHaveValue("");
});
