import { expect, test, OWNER, MEMBER_PASSWORD, createBadge, logIn, open, signUp, uniqueEmail } from "./helpers";

test("a badge assigned in one browser changes its count in another without a reload", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "live");
  const member = await browser.newPage();
  await signUp(member, email, MEMBER_PASSWORD);
  await member.close();

  const title = `Live ${Math.random().toString(36).slice(2, 7)}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, title);
  const row = page.getByRole("listitem").filter({ hasText: title });
  await expect(row).toContainText("0 members");
  await page.locator("body[data-hydrated]").waitFor();
  const reloads: string[] = [];
  page.on("framenavigated", (frame) => frame === page.mainFrame() && reloads.push(frame.url()));

  // a second browser of the owner's assigns it
  const other = await browser.newContext();
  const admin = await other.newPage();
  await logIn(admin, OWNER.email, OWNER.password);
  await expect(admin).toHaveURL(/\/dashboard$/);
  await open(admin, `/dashboard/members?q=${encodeURIComponent(email)}`);
  const memberRow = admin.getByRole("table").getByRole("row").filter({ hasText: email });
  await memberRow.getByText("Actions", { exact: true }).click();
  await memberRow.getByRole("button", { name: /^Badges of / }).click();
  const panel = memberRow.getByRole("group", { name: /^Badges of / });
  await panel.getByLabel("Find a badge").fill(title);
  await expect(panel.getByLabel("Badge to assign").locator("option")).toHaveText([title]);
  await panel.getByRole("button", { name: "Assign" }).click();
  await expect(admin.getByText("Assigned to 1 member.")).toBeVisible();
  await other.close();

  // the first browser's list follows, as it stood
  await expect(row).toContainText("1 member");
  expect(reloads, "no reload").toEqual([]);
});
