import { test, expect, logIn, open, signUp, uniqueEmail, OWNER } from "./helpers";
import type { Page } from "@playwright/test";

/** The member's row of the members list, with its badge panel open. */
async function badgePanel(page: Page, email: string) {
  await open(page, `/dashboard/members?q=${encodeURIComponent(email)}`);
  const row = page.getByRole("table").getByRole("row").filter({ hasText: email });
  await row.getByText("Actions", { exact: true }).click();
  await row.getByRole("button", { name: /^Badges of / }).click();
  return row.getByRole("group", { name: /^Badges of / });
}

test("a badge opens a members-only page, and taking it away closes the page again", async ({ page, browser }, info) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const email = uniqueEmail(info, `reader${tag}`);
  const staff = `Staff ${tag}`;
  const title = `Staff handbook ${tag}`;
  const address = `/pages/staff-handbook-${tag}`;
  const member = await browser.newPage();
  await signUp(member, email);

  // the owner makes a badge that grants page permissions, then a page it opens
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await open(page, "/dashboard/badges/new");
  await page.getByLabel("Title").fill(staff);
  await page.getByLabel("Grants page permissions").check();
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);
  await page.getByRole("navigation", { name: "Dashboard" }).getByRole("link", { name: "Pages" }).click();
  await page.getByRole("link", { name: "New page" }).click();
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Title").fill(title);
  await expect(page.getByLabel("Address")).toHaveValue(`staff-handbook-${tag}`);
  await page.getByLabel("Content").fill("## Rota\n\nThe **night shift** starts at ten.\n\n<script>alert(1)</script>");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: "Rota" })).toBeVisible();
  await expect(preview.getByText("night shift")).toBeVisible();
  await page.getByLabel(staff, { exact: true }).check();
  await page.getByRole("button", { name: "Save page" }).click();
  await expect(page).toHaveURL(/\/dashboard\/pages$/);
  const listed = page.getByRole("list", { name: "Pages" }).getByRole("listitem").filter({ hasText: title });
  await expect(listed.getByText(`Holders of ${staff}`)).toBeVisible();

  // the member without the badge gets the refusal that names it, and not the content
  const refused = await member.goto(address);
  expect(refused!.status()).toBe(403);
  await member.locator("body[data-hydrated]").waitFor();
  await expect(member.getByRole("heading", { name: "You need a badge to read this page" })).toBeVisible();
  await expect(member.getByRole("list", { name: "Badges that open this page" }).getByText(staff)).toBeVisible();
  await expect(member.getByText("night shift")).toHaveCount(0);

  // once the owner assigns the badge, the member reads the page and finds it under "Your pages"
  let panel = await badgePanel(page, email);
  await panel.getByLabel("Find a badge").fill(staff);
  await expect(panel.getByLabel("Badge to assign").locator("option")).toHaveText([staff]);
  await panel.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByText("Assigned to 1 member.")).toBeVisible();

  await open(member, address);
  await expect(member.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await expect(member.getByText("night shift")).toBeVisible();
  await open(member, "/profile");
  await expect(member.getByRole("list", { name: "Your pages" }).getByRole("link", { name: title })).toBeVisible();
  await member.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your pages" }).click();
  await expect(member).toHaveURL(/\/pages$/);
  await member.getByRole("list", { name: "Your pages" }).getByRole("link", { name: title }).click();
  await expect(member.getByText("night shift")).toBeVisible();

  // once it is taken away, the content is gone again
  panel = await badgePanel(page, email);
  await panel.getByRole("button", { name: `Remove ${staff} from`, exact: false }).click();
  await expect(panel.getByRole("button", { name: `Remove ${staff} from`, exact: false })).toHaveCount(0);
  const again = await member.goto(address);
  expect(again!.status()).toBe(403);
  await expect(member.getByRole("heading", { name: "You need a badge to read this page" })).toBeVisible();
  await expect(member.getByText("night shift")).toHaveCount(0);
  await open(member, "/pages");
  await expect(member.getByRole("link", { name: title })).toHaveCount(0);
  await member.close();
});

test("a visitor is sent to log in and comes back to the page", async ({ page }, info) => {
  const email = uniqueEmail(info, "everyone");
  const tag = Math.random().toString(36).slice(2, 7);
  const title = `Welcome pack ${tag}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await open(page, "/dashboard/pages/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Content").fill("Every member reads this.");
  await page.getByRole("button", { name: "Save page" }).click();
  await expect(page).toHaveURL(/\/dashboard\/pages$/);
  const listed = page.getByRole("list", { name: "Pages" }).getByRole("listitem").filter({ hasText: title });
  await expect(listed.getByText("Every approved member")).toBeVisible();

  await page.context().clearCookies();
  await signUp(page, email);
  await page.context().clearCookies();
  await page.goto(`/pages/welcome-pack-${tag}`);
  await expect(page).toHaveURL(new RegExp(`/login\\?next=/pages/welcome-pack-${tag}$`));
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("member-password-1");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(new RegExp(`/pages/welcome-pack-${tag}$`));
  await expect(page.getByText("Every member reads this.")).toBeVisible();
});
