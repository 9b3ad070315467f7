// The published SDK's webhook handling against Insignia's deliveries: a receiver registered
// with the CLI in the SDK format gets each change as a JWT, and `webhooks.process()` with
// `AppStrategy({ publicKey })` (the key the CLI prints, as the Webhooks page shows it) verifies
// it and calls the typed handlers with the entity as the SDK shapes it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { createClient, AppStrategy } from "@wix/sdk";
import * as badges from "@wix/auto_sdk_members_badges-v-2";
import * as assignments from "@wix/auto_sdk_members_badge-assignments";
import * as members from "@wix/auto_sdk_members_members";
import { client } from "./client.mjs";

const cli = (...args) => execFileSync("target/debug/insignia", args, { encoding: "utf8" });
const tag = Math.random().toString(36).slice(2, 8);
const received = [];
let receiver;

before(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;
  const events = ["wix.badges.v4.badge_created", "wix.badges.v4.badge_assignment_created"].join(",");
  cli("webhook", "add", "--url", url, "--format", "sdk", "--events", events);
});

after(() => receiver.close());

/** Waits until the receiver has `n` deliveries. */
async function deliveries(n) {
  for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(received.length >= n, `${received.length} deliveries, expected ${n}`);
  return received.slice(0, n);
}

test("webhooks.process() verifies Insignia's JWTs and calls the typed handlers", async () => {
  const publicKey = cli("webhook", "public-key");
  assert.match(publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
  const api = client({ badges, badgeAssignments: assignments });
  const { members: memberApi } = client({ members }, cli("api-key", "create", "--name", "SDK webhooks", "--scopes", "members.manage").trim());
  const owl = await api.badges.createBadge({ title: `Night Owl ${tag}`, backgroundColor: "#1E1B4B", textColor: "#FEF3C7" });
  const ann = await memberApi.createMember({ member: { loginEmail: `hook-${tag}@example.com` } });
  const made = await api.badgeAssignments.createBadgeAssignment({ badgeId: owl._id, memberId: ann._id });
  // deliveries are sent concurrently: they may arrive in either order
  const jwts = await deliveries(2);

  const receiverApp = createClient({ auth: AppStrategy({ appId: "insignia-tests", publicKey }), modules: { badges, assignments } });
  const seen = {};
  receiverApp.badges.onBadgeCreated((event) => (seen.badge = event));
  receiverApp.assignments.onBadgeAssignmentCreated((event) => (seen.assignment = event));
  const types = [];
  for (const jwt of jwts) types.push((await receiverApp.webhooks.process(jwt)).eventType);
  assert.deepEqual([...types].sort(), ["wix.badges.v4.badge_assignment_created", "wix.badges.v4.badge_created"]);
  const badgeJwt = jwts[types.indexOf("wix.badges.v4.badge_created")];
  assert.equal(seen.badge.entity._id, owl._id, "the entity as the SDK renames it");
  assert.equal(seen.badge.entity.title, `Night Owl ${tag}`);
  assert.equal(seen.badge.metadata.entityId, owl._id);
  assert.equal(seen.badge.metadata.entityEventSequence, "1");
  assert.equal(seen.badge.metadata.identity.identityType, "APP", "made with an API key");
  assert.ok(seen.badge.metadata.eventTime instanceof Date);
  assert.equal(seen.assignment.entity._id, made._id);
  assert.equal(seen.assignment.entity.memberId, ann._id);

  // a key other than Insignia's does not verify
  const { generateKeyPairSync } = await import("node:crypto");
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" });
  const stranger = createClient({ auth: AppStrategy({ appId: "insignia-tests", publicKey: other }), modules: { badges } });
  stranger.badges.onBadgeCreated(() => assert.fail("must not be called"));
  await assert.rejects(stranger.webhooks.process(badgeJwt));
});
