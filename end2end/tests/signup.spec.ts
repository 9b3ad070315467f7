import { expect, test, MEMBER_PASSWORD, open, signUp, uniqueEmail } from "./helpers";

test("a visitor signs up, joins the community and is listed there", async ({ page }, info) => {
  const email = uniqueEmail(info, "joiner");
  await signUp(page, email);
  await expect(page.getByText("Your profile is private")).toBeVisible();

  await page.getByRole("button", { name: "Join the community" }).click();
  await expect(page.getByText("You are in the community")).toBeVisible();
  await expect(page.getByRole("button", { name: "Leave the community" })).toBeVisible();

  const slug = email.split("@")[0].replace(/[^a-z0-9-]/g, "");
  await open(page, "/community");
  await expect(page.getByRole("list", { name: "Community members" }).getByText(slug, { exact: true })).toBeVisible();
});

test("sign-up explains what is wrong and keeps what was typed", async ({ page }, info) => {
  const email = uniqueEmail(info, "short");
  await open(page, "/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Repeat the password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page).toHaveURL(/\/signup$/);

  await page.getByLabel("Password", { exact: true }).fill(MEMBER_PASSWORD);
  await page.getByLabel("Repeat the password").fill(MEMBER_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
});

test("an email can sign up only once", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "twice");
  await signUp(page, email);
  const other = await browser.newPage();
  await open(other, "/signup");
  await other.getByLabel("Email").fill(email);
  await other.getByLabel("Password", { exact: true }).fill(MEMBER_PASSWORD);
  await other.getByLabel("Repeat the password").fill(MEMBER_PASSWORD);
  await other.getByRole("button", { name: "Create account" }).click();
  await expect(other.getByText("An account with this email already exists")).toBeVisible();
  await other.close();
});
