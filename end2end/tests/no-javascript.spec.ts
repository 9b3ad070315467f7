import { expect, test, MEMBER_PASSWORD, uniqueEmail } from "./helpers";

// Before the WASM bundle loads (or when it never does), forms still work.
test.use({ javaScriptEnabled: false });

test("sign-up works without JavaScript, errors shown next to the field", async ({ page }, info) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill(uniqueEmail(info, "nojs"));
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Email").fill(uniqueEmail(info, "nojs"));
  await page.getByLabel("Password", { exact: true }).fill(MEMBER_PASSWORD);
  await page.getByLabel("Repeat the password").fill(MEMBER_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByRole("button", { name: "Join the community" })).toBeVisible();
});
