import { expect, type Page, type TestInfo } from "@playwright/test";

export const OWNER = { email: "owner@example.com", password: "owner-password-1" };
export const MEMBER_PASSWORD = "member-password-1";

/** An email no other test uses, so specs can run in parallel against one server. */
export function uniqueEmail(info: TestInfo, label: string): string {
  const id = `${info.workerIndex}-${info.retry}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
  return `${label}-${id}@example.com`;
}

/** Opens a page and waits until it is interactive (hydrated), as a person would wait for it. */
export async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator("body[data-hydrated]").waitFor();
}

export async function signUp(page: Page, email: string, password = MEMBER_PASSWORD): Promise<void> {
  await open(page, "/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await open(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}
