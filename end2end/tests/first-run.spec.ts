import { expect, test, OWNER, open } from "./helpers";

test("a fresh install leads the visitor through creating the owner account", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.locator("body[data-hydrated]").waitFor();
  await expect(page.getByRole("heading", { name: "Set up Insignia" })).toBeVisible();

  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password", { exact: true }).fill(OWNER.password);
  await page.getByLabel("Repeat the password").fill("something-else");
  await page.getByRole("button", { name: "Create owner account" }).click();
  // the error sits next to the field it is about, and nothing was created
  await expect(page.getByText("The two passwords differ")).toBeVisible();
  await expect(page.getByLabel("Repeat the password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Email")).toHaveValue(OWNER.email);

  await page.getByLabel("Repeat the password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Members" })).toBeVisible();

  // setup is closed from now on
  await open(page, "/setup");
  await expect(page.getByRole("heading", { name: "Insignia is already set up" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create owner account" })).toHaveCount(0);
});
