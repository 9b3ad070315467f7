// A client of the published SDK pointed at the Insignia server the test script started. The
// SDK always builds https URLs; the fetch below sends them to the plain-HTTP test server.
import { createClient, ApiKeyStrategy } from "@wix/sdk";

export function client(modules, apiKey = process.env.INSIGNIA_KEY) {
  return createClient({
    host: { apiBaseUrl: process.env.INSIGNIA_HOST },
    auth: ApiKeyStrategy({ apiKey }),
    modules,
    fetch: (url, init) => fetch(String(url).replace(/^https:/, "http:"), init),
  });
}

/// The error an SDK call throws, for asserting on its status and details.
export async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}
