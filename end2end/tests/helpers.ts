import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

/**
 * Playwright's `test`, plus a record of what went wrong inside the browser (uncaught errors,
 * console errors such as a WASM panic), printed when a test fails: a dead page otherwise only
 * shows up as a timeout.
 */
export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ page }, use, info) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(`console error: ${m.text()}`);
      });
      await use(errors);
      if (info.status !== info.expectedStatus && errors.length > 0) {
        console.log(`browser errors in "${info.title}":\n${errors.join("\n")}`);
      }
      // every page the test saw ran under its Content-Security-Policy: nothing of the app's own
      // (the hydration script, the WASM, styles, icons) may have been refused by it
      const refused = errors.filter((e) => e.includes("Content Security Policy"));
      expect(refused, "nothing the app needs is refused by its own policy").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

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

/** Creates a badge with default colours through the editor, as an admin already logged in. */
export async function createBadge(page: Page, title: string): Promise<void> {
  await open(page, "/dashboard/badges/new");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Save badge" }).click();
  await expect(page).toHaveURL(/\/dashboard\/badges$/);
}
