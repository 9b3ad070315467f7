import { test, expect, createBadge, logIn, open, signUp, uniqueEmail, OWNER, MEMBER_PASSWORD } from "./helpers";

test("a delegated member assigns their badge and is refused another", async ({ page, browser }, info) => {
  const tag = Math.random().toString(36).slice(2, 7);
  const delegateEmail = uniqueEmail(info, `trusted${tag}`);
  const targetEmail = uniqueEmail(info, `target${tag}`);
  const visitor = await browser.newPage();
  await signUp(visitor, delegateEmail);
  await visitor.context().clearCookies();
  await signUp(visitor, targetEmail);
  await visitor.getByRole("button", { name: "Join the community" }).click();
  await expect(visitor.getByText("You are in the community")).toBeVisible();
  await visitor.close();

  const [helper, mentor] = [`Helper ${tag}`, `Mentor ${tag}`];
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createBadge(page, helper);
  await createBadge(page, mentor);
  const mentorId = (await page.getByRole("link", { name: `Edit ${mentor}` }).getAttribute("href"))!.split("/").pop()!;
  await page.getByRole("link", { name: `Edit ${helper}` }).click();
  const add = page.getByRole("form", { name: "Add an assigner" });
  await add.getByLabel("Member's email or profile address").fill(`nobody-${tag}@example.com`);
  await add.getByRole("button", { name: "Let them assign it" }).click();
  await expect(add.getByText("No member has this email or profile address")).toBeVisible();
  await add.getByLabel("Member's email or profile address").fill(delegateEmail);
  await add.getByRole("button", { name: "Let them assign it" }).click();
  await expect(page.getByRole("list", { name: "Assigners" }).getByRole("listitem")).toHaveCount(1);

  // the trusted member, on the target's profile, is offered exactly Helper
  await page.context().clearCookies();
  await logIn(page, delegateEmail, MEMBER_PASSWORD);
  await expect(page.getByRole("link", { name: "Profile" })).toBeVisible();
  await open(page, `/members/${targetEmail.split("@")[0]}`);
  const give = page.getByRole("form", { name: "Assign badge" });
  await expect(give.getByLabel("Badge").getByRole("option")).toHaveText([helper]);
  await give.getByRole("button", { name: "Assign" }).click();
  await expect(give.getByText("Assigned to 1 member.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Badges" }).getByText(helper)).toBeVisible();

  // asking the server for another badge anyway: refused, and the profile is unchanged
  const action = await give.getAttribute("action");
  const memberId = await give.locator('input[name="member_id"]').inputValue();
  const refused = await page.request.post(action!, { form: { badge_id: mentorId, member_id: memberId } });
  expect(refused.status()).toBe(403);
  await page.reload();
  await expect(page.getByRole("list", { name: "Badges" }).getByText(helper)).toBeVisible();
  await expect(page.getByRole("list", { name: "Badges" }).getByText(mentor)).toHaveCount(0);
});
