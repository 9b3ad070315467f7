import { expect, test, OWNER, createBadge, logIn, open } from "./helpers";

function uniqueTitle(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 8)}`;
}

test.beforeEach(async ({ page }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("a badge's history says who changed what, and the audit log filters by action", async ({ page }) => {
  const title = uniqueTitle("Night Owl");
  await createBadge(page, title);
  await page.getByRole("link", { name: `Edit ${title}` }).click();
  await expect(page.getByRole("heading", { name: "Edit badge" })).toBeVisible();
  await page.locator("body[data-hydrated]").waitFor();
  await page.getByLabel("Title").fill(`${title}s`);
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);

  // the badge's history, from its editor
  await page.getByRole("link", { name: `Edit ${title}s` }).click();
  await page.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByText("Showing one entity's history.")).toBeVisible();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(3); // the header, the update, the creation
  const update = rows.filter({ hasText: "updated" });
  await expect(update).toContainText(OWNER.email);
  await expect(update.getByRole("listitem").filter({ hasText: `title: ${title} → ${title}s` })).toBeVisible();

  // the whole log, narrowed to updates of badges by the owner
  await open(page, "/dashboard/audit");
  await page.getByLabel("Who (email or key)").fill("owner@");
  await page.getByLabel("Changed").selectOption("badge");
  await page.getByLabel("Action").selectOption("updated");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/action=updated/);
  await expect(page.getByRole("row").filter({ hasText: `title: ${title} → ${title}s` })).toBeVisible();
  await expect(page.getByRole("cell", { name: "created", exact: true })).toHaveCount(0);
  // the export carries the same filters
  await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /action=updated/);
});
