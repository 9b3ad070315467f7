import { type Page } from "@playwright/test";
import { expect, test, OWNER, logIn, open } from "./helpers";

/** A 1 × 1 red PNG. */
const RED_DOT_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";

function uniqueTitle(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 8)}`;
}

async function newBadge(page: Page, title: string): Promise<void> {
  await open(page, "/dashboard/badges/new");
  await page.getByLabel("Title").fill(title);
}

test.beforeEach(async ({ page }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("create a badge with picked colours and see it in the list", async ({ page }) => {
  const title = uniqueTitle("Mentor");
  await newBadge(page, title);
  await page.getByRole("button", { name: "Background colour #047857" }).click();
  await page.getByLabel("Text hex").fill("#fffbeb");
  await page.getByLabel("Description").fill("Helps newcomers find their way");
  // an icon from the library, found by searching on the server
  await page.getByLabel("From the library").check();
  await page.getByLabel("Search icons").fill("rocket");
  await page.getByRole("radio", { name: "rocket", exact: true }).check();
  await expect(page.getByText("Chosen: rocket")).toBeVisible();
  await page.getByLabel("Icon alt text").fill("A rocket");
  // the preview follows as you type
  const dark = page.getByRole("group", { name: "On a dark page" });
  await expect(dark.getByText(title)).toBeVisible();
  await expect(dark.getByRole("img", { name: "A rocket" })).toBeVisible();
  await page.getByRole("button", { name: "Save badge" }).click();

  await expect(page).toHaveURL(/\/dashboard\/badges$/);
  const row = page.getByRole("listitem").filter({ hasText: title });
  await expect(row).toContainText("Helps newcomers find their way");
  await expect(row).toContainText("0 members");
  const chip = row.getByText(title, { exact: true }).locator("..");
  await expect(chip).toHaveCSS("background-color", "rgb(4, 120, 87)");
  await expect(chip).toHaveCSS("color", "rgb(255, 251, 235)");
  // the icon is drawn in the badge's text colour
  await expect(row.getByRole("img", { name: "A rocket" })).toHaveCSS("background-color", "rgb(255, 251, 235)");
});

test("upload an icon image; other files are refused with a reason", async ({ page }) => {
  const title = uniqueTitle("Uploaded");
  await newBadge(page, title);
  await page.getByLabel("Upload an image").check();
  await page.getByLabel("Image file").setInputFiles({ name: "notes.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4 not an image") });
  await expect(page.getByText("Only PNG, JPEG, WebP, GIF or SVG images can be uploaded")).toBeVisible();

  await page.getByLabel("Image file").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: Buffer.from(RED_DOT_PNG, "base64") });
  await expect(page.getByText("Image uploaded.")).toBeVisible();
  await expect(page.getByText("Only PNG, JPEG, WebP, GIF or SVG images can be uploaded")).toBeHidden();
  await page.getByLabel("Icon alt text").fill("A red dot");
  await page.getByRole("button", { name: "Save badge" }).click();

  await expect(page).toHaveURL(/\/dashboard\/badges$/);
  const icon = page.getByRole("listitem").filter({ hasText: title }).getByRole("img", { name: "A red dot" });
  await expect(icon).toHaveAttribute("src", /^\/uploads\/[0-9a-f-]{36}$/);
  // the image really loads (the browser decoded it)
  await expect.poll(() => icon.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
});

test("a badge with unreadable text is fixed in one click", async ({ page }) => {
  await newBadge(page, uniqueTitle("Sunny"));
  await page.getByRole("button", { name: "Background colour #FACC15" }).click();
  await page.getByRole("button", { name: "Text colour #FFFFFF" }).click();
  await expect(page.getByText("Below 4.5:1")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Contrast" })).toContainText("Fails");

  await page.getByRole("button", { name: /Use a readable text colour/ }).click();
  await expect(page.getByText("Below 4.5:1")).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Contrast" })).toContainText(/— AAA?$/);
  await expect(page.getByLabel("Text hex")).not.toHaveValue("#FFFFFF");
});

test("bad input is explained next to its field and kept", async ({ page }) => {
  await newBadge(page, "x".repeat(51));
  await page.getByLabel("Background hex").fill("blue");
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page.getByText("A title has at most 50 characters")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue("x".repeat(51));
  await expect(page).toHaveURL(/\/new$/);
});

test("two editors: the second save is refused and keeps its input", async ({ page, browser }) => {
  const title = uniqueTitle("Shared");
  await newBadge(page, title);
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);
  await page.getByRole("link", { name: `Edit ${title}` }).click();
  await expect(page.getByRole("heading", { name: "Edit badge" })).toBeVisible();
  const editUrl = page.url();

  // a second tab of the same owner opens the same badge and saves first
  const other = await page.context().newPage();
  await open(other, editUrl);
  await other.getByLabel("Description").fill("Saved by the other tab");
  await other.getByRole("button", { name: "Save badge" }).click();
  await expect(other).toHaveURL(/\/dashboard\/badges$/);
  await other.close();

  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Description").fill("My own words");
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page.getByRole("alert")).toContainText("Someone else saved this badge");
  await expect(page.getByLabel("Description")).toHaveValue("My own words");
  void browser;
});

test("delete a badge after confirming", async ({ page }) => {
  const title = uniqueTitle("Temporary");
  await newBadge(page, title);
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);

  await page.getByRole("button", { name: `Delete ${title}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete ${title}?` });
  await expect(confirm).toContainText("This cannot be undone");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("listitem").filter({ hasText: title })).toBeVisible();

  await page.getByRole("button", { name: `Delete ${title}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete badge" }).click();
  await expect(page.getByRole("listitem").filter({ hasText: title })).toHaveCount(0);
});

test("reorder badges from the keyboard", async ({ page }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const [a, b, c] = ["Alpha", "Bravo", "Charlie"].map((n) => `${n} ${tag}`);
  for (const title of [a, b, c]) {
    await newBadge(page, title);
    await page.getByRole("button", { name: "Save badge" }).click();
    await expect(page).toHaveURL(/\/dashboard\/badges$/);
  }
  const positions = async () => {
    const texts = await page.getByRole("list", { name: "Badges" }).getByRole("listitem").allInnerTexts();
    return [a, b, c].map((t) => texts.findIndex((x) => x.includes(t)));
  };
  for (const title of [a, b, c]) {
    await expect(page.getByRole("listitem").filter({ hasText: title })).toBeVisible();
  }
  let [pa, pb, pc] = await positions();
  expect(pa).toBeGreaterThanOrEqual(0);
  expect(pa).toBeLessThan(pb);
  expect(pb).toBeLessThan(pc);

  // Other specs add badges to the same list in parallel, so a neighbour may be one of theirs:
  // press "Move up" until Charlie is above Bravo, as a person would.
  for (let i = 0; i < 6 && (await positions())[2] > (await positions())[1]; i++) {
    const before = (await positions())[2];
    await page.getByRole("button", { name: `Move ${c} up` }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await positions())[2]).toBeLessThan(before);
  }
  for (let i = 0; i < 6 && (await positions())[0] < (await positions())[2]; i++) {
    const before = (await positions())[0];
    await page.getByRole("button", { name: `Move ${a} down` }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await positions())[0]).toBeGreaterThan(before);
  }
  [pa, pb, pc] = await positions();
  expect(pc).toBeLessThan(pa);
  expect(pa).toBeLessThan(pb);

  // the order holds after a reload
  await open(page, "/dashboard/badges");
  await expect(page.getByRole("listitem").filter({ hasText: a })).toBeVisible();
  [pa, pb, pc] = await positions();
  expect(pc).toBeLessThan(pa);
  expect(pa).toBeLessThan(pb);
});

test("filter badges by page permissions and sort them by title", async ({ page }) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const gated = `Zeta gate ${tag}`;
  const plain = `Alpha open ${tag}`;
  await newBadge(page, gated);
  await page.getByLabel("Grants page permissions").check();
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);
  await newBadge(page, plain);
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);

  await page.getByLabel("Title contains").fill(tag);
  await page.getByLabel("Page permissions").selectOption("on");
  await page.getByRole("button", { name: "Apply" }).click();
  const items = page.getByRole("list", { name: "Badges" }).getByRole("listitem");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText(gated);

  await page.getByLabel("Page permissions").selectOption("any");
  await page.getByLabel("Sort by").selectOption("title");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(items).toHaveCount(2);
  await expect(items.first()).toContainText(plain);
  await expect(items.nth(1)).toContainText(gated);
});
