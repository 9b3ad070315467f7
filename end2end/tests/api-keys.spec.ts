import { expect, test, OWNER, logIn, open, signUp, uniqueEmail } from "./helpers";

function uniqueName(label: string): string {
  return `${label} ${Math.random().toString(36).slice(2, 8)}`;
}

const newBadge = (title: string) => ({ badge: { title, backgroundColor: "#112233", textColor: "#FFFFFF" } });

test("the owner creates a scoped API key, a program uses it, and revoking it shuts the program out", async ({ page, request }) => {
  await logIn(page, OWNER.email, OWNER.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await open(page, "/dashboard/settings");
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys", level: 1 })).toBeVisible();

  // no scope chosen: said next to the scopes
  const name = uniqueName("Loyalty app");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText("Choose at least one scope")).toBeVisible();

  await page.getByLabel(/Manage badges and assignments/).check();
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText(`“${name}” was created. Copy its secret now: it is not shown again.`)).toBeVisible();
  const secret = await page.getByLabel("Secret").inputValue();
  expect(secret).toMatch(/^ins_/);
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row.getByRole("cell", { name: "badges.manage" })).toBeVisible();
  await expect(row.getByRole("cell", { name: "Never" })).toBeVisible();

  // the program: the REST API with the key, as the SDK sends it
  const title = uniqueName("Loyal customer");
  const created = await request.post("/badges/v4/badges", { headers: { Authorization: secret }, data: newBadge(title) });
  expect(created.status()).toBe(200);
  expect((await created.json()).badge.title).toBe(title);
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: name }).getByRole("cell", { name: "Never" })).toHaveCount(0);

  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  const refused = await request.post("/badges/v4/badges", { headers: { Authorization: secret }, data: newBadge(uniqueName("Late")) });
  expect(refused.status()).toBe(401);
});

test("a member creates a personal token that reads badges and cannot manage them", async ({ page, request }, info) => {
  await signUp(page, uniqueEmail(info, "scripter"));
  const section = page.getByRole("region", { name: "API access" });
  await expect(section.getByText("No tokens yet.")).toBeVisible();
  await section.getByLabel("Name").fill("My script");
  await section.getByRole("button", { name: "Create token" }).click();
  const secret = await section.getByLabel("Secret").inputValue();
  expect(secret).toMatch(/^inm_/);
  await expect(section.getByRole("row").filter({ hasText: "My script" })).toBeVisible();

  const query = await request.post("/badges/v4/badges/query", { headers: { Authorization: secret }, data: {} });
  expect(query.status()).toBe(200);
  const write = await request.post("/badges/v4/badges", { headers: { Authorization: secret }, data: newBadge("Self-made") });
  expect(write.status()).toBe(403);
  expect((await write.json()).details.applicationError.code).toBe("FORBIDDEN");

  await section.getByRole("button", { name: "Revoke My script" }).click();
  await expect(section.getByText("No tokens yet.")).toBeVisible();
  expect((await request.post("/badges/v4/badges/query", { headers: { Authorization: secret }, data: {} })).status()).toBe(401);
});
