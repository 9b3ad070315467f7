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

/** A 1 × 1 red PNG. */
const RED_DOT_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

test("a member adds a photo: an SVG is refused, a PNG shows, and only they see it until they join", async ({ page, browser }, info) => {
  await signUp(page, uniqueEmail(info, "photo"));
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>';
  await page.getByLabel("Add a photo").setInputFiles({ name: "me.svg", mimeType: "image/svg+xml", buffer: Buffer.from(svg) });
  await expect(page.getByText("Only PNG, JPEG, WebP or GIF photos can be uploaded")).toBeVisible();

  await page.getByLabel("Add a photo").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: Buffer.from(RED_DOT_PNG, "base64") });
  await expect(page.getByRole("button", { name: "Remove photo" })).toBeVisible();
  await expect(page.getByLabel("Replace your photo")).toBeVisible();
  const photo = page.locator('img[src^="/uploads/"]').first();
  await expect(photo).toHaveJSProperty("naturalWidth", 1);
  const src = await photo.getAttribute("src");

  const visitor = await browser.newPage();
  expect((await visitor.request.get(src!)).status(), "a private member's photo is not served to others").toBe(404);
  await page.getByRole("button", { name: "Join the community" }).click();
  await expect(page.getByText("You are in the community")).toBeVisible();
  expect((await visitor.request.get(src!)).status()).toBe(200);
  await visitor.close();
});

test("a member logs out everywhere from their profile, and their other device is logged out too", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "everywhere");
  await signUp(page, email);
  const other = await browser.newContext();
  const phone = await other.newPage();
  await open(phone, "/login");
  await phone.getByLabel("Email").fill(email);
  await phone.getByLabel("Password").fill(MEMBER_PASSWORD);
  await phone.getByRole("button", { name: "Log in" }).click();
  await expect(phone).toHaveURL(/\/profile$/);

  await page.getByRole("button", { name: "Log out everywhere" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await phone.goto("/profile");
  await expect(phone).toHaveURL(/\/login\?next=\/profile$/);
  await other.close();
});
