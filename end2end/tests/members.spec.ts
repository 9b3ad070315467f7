import { expect, test, MEMBER_PASSWORD, OWNER, createBadge, logIn, open, signUp, uniqueEmail } from "./helpers";

test("a member joins, shows in the directory with a profile, leaves and disappears", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "profiled");
  const nickname = `Robin ${Math.random().toString(36).slice(2, 7)}`;
  await signUp(page, email);

  await page.getByLabel("Nickname").fill(nickname);
  await page.getByLabel("Title").fill("Keeps the bees");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  // the profile address came from the email when they signed up
  const slug = email.split("@")[0];
  await expect(page.getByLabel("Profile address")).toHaveValue(slug);

  await page.getByRole("button", { name: "Join the community" }).click();
  await expect(page.getByText("You are in the community")).toBeVisible();

  // a visitor finds them in the directory and opens their profile
  const visitor = await browser.newPage();
  await open(visitor, "/community");
  await visitor.getByLabel("Search members").fill(nickname);
  await visitor.getByRole("button", { name: "Search" }).click();
  await visitor.getByRole("link", { name: nickname }).click();
  await expect(visitor).toHaveURL(new RegExp(`/members/${slug}$`));
  await expect(visitor.getByRole("heading", { level: 1, name: nickname })).toBeVisible();
  await expect(visitor.getByText("Keeps the bees")).toBeVisible();
  await expect(visitor.getByText("No badges yet.")).toBeVisible();
  await expect(visitor.getByText(email)).toHaveCount(0);

  // they leave: the directory and the profile address forget them
  await page.getByRole("button", { name: "Leave the community" }).click();
  await expect(page.getByText("Your profile is private")).toBeVisible();
  const response = await visitor.goto(`/members/${slug}`);
  expect(response?.status()).toBe(404);
  await expect(visitor.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await open(visitor, `/community?q=${encodeURIComponent(nickname)}`);
  await expect(visitor.getByText("No community member matches that search.")).toBeVisible();
  await visitor.close();
});

test("an admin finds a member, blocks them, and they cannot log in", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "blockme");
  const member = await browser.newPage();
  await signUp(member, email);
  await member.close();

  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await open(page, "/dashboard/members");
  await page.getByLabel("Name, nickname or email").fill(email);
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(2); // the header and the one member
  const row = rows.filter({ hasText: email });
  await expect(row).toContainText("Approved");
  await row.getByText("Actions", { exact: true }).click();
  await row.getByRole("button", { name: /^Block / }).click();
  await expect(row).toContainText("Blocked");
  await row.getByText("Actions", { exact: true }).click();
  await expect(row.getByRole("button", { name: /^Unblock / })).toBeVisible();

  const blocked = await browser.newPage();
  await logIn(blocked, email, MEMBER_PASSWORD);
  await expect(blocked.getByText("This account is blocked. Contact the site owner.")).toBeVisible();
  await expect(blocked).toHaveURL(/\/login/);
  await blocked.close();
});

test("an admin assigns a badge from a member's row and it shows on their profile", async ({ page, browser }, info) => {
  const email = uniqueEmail(info, "holder");
  const member = await browser.newPage();
  await signUp(member, email);
  await member.getByRole("button", { name: "Join the community" }).click();
  await expect(member.getByText("You are in the community")).toBeVisible();
  await member.close();

  const title = `Helper ${Math.random().toString(36).slice(2, 7)}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, title);

  await open(page, `/dashboard/members?q=${encodeURIComponent(email)}`);
  const row = page.getByRole("table").getByRole("row").filter({ hasText: email });
  await row.getByText("Actions", { exact: true }).click();
  await row.getByRole("button", { name: /^Badges of / }).click();
  const panel = row.getByRole("group", { name: /^Badges of / });
  await panel.getByLabel("Find a badge").fill(title);
  await expect(panel.getByLabel("Badge to assign")).toHaveValue(/.+/);
  await expect(panel.getByLabel("Badge to assign").locator("option")).toHaveText([title]);
  await panel.getByLabel("Reason (optional)").fill("Welcomed the newcomers");
  await panel.getByRole("button", { name: "Assign" }).click();
  await expect(page.getByText("Assigned to 1 member.")).toBeVisible();
  await expect(row.getByText(title, { exact: true }).first()).toBeVisible();

  // the panel now offers to remove it instead
  await expect(panel.getByRole("button", { name: `Remove ${title} from`, exact: false })).toBeVisible();

  // everyone sees it on the member's profile
  const slug = email.split("@")[0];
  const visitor = await browser.newPage();
  await open(visitor, `/members/${slug}`);
  await expect(visitor.getByRole("list", { name: "Badges" }).getByText(title)).toBeVisible();
  await visitor.close();
});

test("an admin selects three members and gives them a badge at once", async ({ page, browser }, info) => {
  const tag = `crew${Math.random().toString(36).slice(2, 7)}`;
  const visitor = await browser.newPage();
  for (let i = 0; i < 3; i++) {
    await visitor.context().clearCookies();
    await signUp(visitor, uniqueEmail(info, tag));
  }
  await visitor.close();

  const title = `Crew ${tag}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, title);

  await open(page, `/dashboard/members?q=${tag}`);
  const rows = page.getByRole("table").getByRole("row");
  await expect(rows).toHaveCount(4); // the header and the three members
  await page.getByLabel("Select every member on this page").check();
  await expect(page.getByText("3 members selected")).toBeVisible();
  await page.getByRole("form", { name: "Selected members" }).getByLabel("Badge", { exact: true }).selectOption({ label: title });
  await page.getByRole("button", { name: "Apply to selected" }).click();
  await expect(page.getByRole("form", { name: "Selected members" }).getByText("Assigned to 3 members.", { exact: true })).toBeVisible();
  await expect(page.getByText("No member selected")).toBeVisible();
  for (const row of await rows.filter({ hasText: tag }).all()) {
    await expect(row.getByText(title, { exact: true })).toBeVisible();
  }
});

test("an admin assigns a badge to every member matching a search, in the background", async ({ page, browser }, info) => {
  const tag = `all${Math.random().toString(36).slice(2, 7)}`;
  const visitor = await browser.newPage();
  for (let i = 0; i < 3; i++) {
    await visitor.context().clearCookies();
    await signUp(visitor, uniqueEmail(info, tag));
  }
  await visitor.close();

  const title = `All ${tag}`;
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, title);

  await open(page, `/dashboard/members?q=${tag}`);
  await page.getByText("Assign to all matching…").click();
  const form = page.getByRole("form", { name: "All matching members" });
  await expect(form.getByText("3 members match.")).toBeVisible();
  await form.getByLabel("Badge", { exact: true }).selectOption({ label: title });
  await form.getByLabel("Reason (optional)").fill("Launch crew");
  await form.getByRole("button", { name: "Start for 3 members" }).click();
  // this run's entry (other tests' runs are listed too)
  const run = page.getByRole("region", { name: "Background assignments" }).getByRole("listitem").filter({ hasText: `Assign “${title}” to all matching members` });
  await expect(run.getByText(/Done\. Assigned to 3 members\./)).toBeVisible();
  // the list refreshes when the run ends
  for (const row of await page.getByRole("table").getByRole("row").filter({ hasText: tag }).all()) {
    await expect(row.getByText(title, { exact: true })).toBeVisible();
  }
  // the report is the server's: it is still there after a reload, and nothing ran twice
  await page.reload();
  await expect(run.getByText(/Done\. Assigned to 3 members\./)).toBeVisible();
});
