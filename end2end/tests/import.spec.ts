import { test, expect, createBadge, logIn, open, signUp, uniqueEmail, OWNER } from "./helpers";

test("an admin imports a CSV with one unmatched line and assigns the rest", async ({ page, browser }, info) => {
  const tag = `csv${Math.random().toString(36).slice(2, 7)}`;
  const emails = [uniqueEmail(info, tag), uniqueEmail(info, tag)];
  const visitor = await browser.newPage();
  for (const email of emails) {
    await visitor.context().clearCookies();
    await signUp(visitor, email);
  }
  await visitor.close();

  const title = `Imported ${tag}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, title);

  await open(page, "/dashboard/import");
  await expect(page.getByRole("heading", { name: "Import assignments" })).toBeVisible();
  const form = page.getByRole("form", { name: "Import a CSV file" });
  await form.getByLabel("Badge").selectOption({ label: title });
  const csv = `email,reason\n${emails[0]},"Early, and keen"\n\nnobody-${tag}@example.com\n${emails[1].toUpperCase()}\n`;
  await form.getByLabel("CSV file").setInputFiles({ name: "members.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await form.getByRole("button", { name: "Preview" }).click();

  await expect(page.getByText("3 lines: 2 match a member, 1 does not.")).toBeVisible();
  const unmatched = page.getByRole("table", { name: "Lines that will not be assigned" });
  await expect(unmatched.getByRole("row").filter({ hasText: `nobody-${tag}@example.com` })).toContainText("4");
  await expect(unmatched).toContainText("No member has this email or profile address");
  const download = page.getByRole("link", { name: "Download the unmatched lines (CSV)" });
  await expect(download).toHaveAttribute("download", "unmatched-lines.csv");
  expect(decodeURIComponent((await download.getAttribute("href"))!.split(",").slice(1).join(","))).toContain(
    `4,nobody-${tag}@example.com,No member has this email or profile address`,
  );

  await page.getByRole("button", { name: `Assign “${title}” to 2 members` }).click();
  const run = page.getByRole("region", { name: "Background assignments" }).getByRole("listitem").filter({ hasText: `Assign “${title}” from a CSV import` });
  await expect(run.getByText(/Done\. Assigned to 2 members\./)).toBeVisible();

  await open(page, `/dashboard/members?q=${tag}`);
  for (const row of await page.getByRole("table").getByRole("row").filter({ hasText: tag }).all()) {
    await expect(row.getByText(title, { exact: true })).toBeVisible();
  }
});

test("a file that is not CSV text is refused next to the field", async ({ page }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, `Refused ${Math.random().toString(36).slice(2, 7)}`);
  await open(page, "/dashboard/import");
  const form = page.getByRole("form", { name: "Import a CSV file" });
  await form.getByLabel("CSV file").setInputFiles({ name: "photo.csv", mimeType: "text/csv", buffer: Buffer.from([0xff, 0xfe, 0x00, 0x41]) });
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByText("The file is not UTF-8 text; save it as CSV (UTF-8)")).toBeVisible();
  await expect(form.getByLabel("CSV file")).toHaveAttribute("aria-invalid", "true");
});
