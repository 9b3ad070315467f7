import { defineConfig } from "@playwright/test";

// The slow-phone check (scripts/slow-phone.sh starts the release server and passes its address):
// one page at a time, so the throttled CPU is the only thing slowing the browser down.
export default defineConfig({
  testDir: "./slow-phone",
  workers: 1,
  retries: 0,
  timeout: 180_000,
  reporter: [["list"]],
  outputDir: "./test-results/slow-phone",
  use: {
    baseURL: process.env.SLOW_PHONE_URL,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--no-first-run"],
    },
  },
});
