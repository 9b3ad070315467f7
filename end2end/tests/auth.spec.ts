import { expect, test, OWNER, logIn, open } from "./helpers";

test("the owner logs in, reaches the dashboard, and logs out", async ({ page }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("banner")).toContainText(OWNER.email);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("button", { name: "Log out" })).toHaveCount(0);

  // the dashboard now asks to log in again, and comes back to where it was asked for
  await page.goto("/dashboard/settings");
  await expect(page).toHaveURL(/\/login\?next=\/dashboard\/settings$/);
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/dashboard\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("a wrong password is refused with the reason next to the field", async ({ page }) => {
  await logIn(page, OWNER.email, "not-the-password");
  await expect(page.getByText("That email and password do not match")).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/login$/);
  await open(page, "/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("pages can be used from the keyboard: skip link first", async ({ page }) => {
  await open(page, "/login");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});
