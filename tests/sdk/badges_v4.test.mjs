// The published Badges V4 client against Insignia: every method, as a site owner's script
// would call it.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as badges from "@wix/auto_sdk_members_badges-v-2";
import { client, failure } from "./client.mjs";

const { badges: api } = client({ badges });
const unique = (name) => `${name} ${Math.random().toString(36).slice(2, 8)}`;

test("create, get, update with the revision, and a stale revision is refused", async () => {
  const title = unique("Night Owl");
  const created = await api.createBadge({ title, backgroundColor: "#1E1B4B", textColor: "#FEF3C7", description: "Late posts" });
  assert.equal(created.title, title);
  assert.equal(created.revision, "1");
  assert.ok(created._id, "the SDK renames id to _id");
  assert.ok(created._createdDate instanceof Date, "dates arrive as Dates");
  assert.match(created.slug, /^night-owl-/);

  const got = await api.getBadge(created._id);
  assert.deepEqual(got, created);

  const updated = await api.updateBadge(created._id, { revision: created.revision, description: "Owls only" });
  assert.equal(updated.revision, "2");
  assert.equal(updated.title, title, "fields not sent are kept");

  const stale = await failure(api.updateBadge(created._id, { revision: "1", title: "Lost" }));
  assert.equal(stale.details.applicationError.code, "REVISION_CONFLICT");
  assert.equal((await api.getBadge(created._id)).title, title, "a conflict changes nothing");
});

test("a media icon goes out as the SDK's wix:image string and comes back the same", async () => {
  const icon = "wix:image://v1/11062b_a1b2c3~mv2.png/gold.png#originWidth=64&originHeight=64";
  const created = await api.createBadge({ title: unique("Gold"), backgroundColor: "#FACC15", textColor: "#000000", icon });
  assert.equal(created.icon, icon);
  const external = await api.createBadge({
    title: unique("Linked"),
    backgroundColor: "#FFFFFF",
    textColor: "#000000",
    icon: "https://cdn.example.com/badge.svg",
  });
  assert.equal(external.icon, "https://cdn.example.com/badge.svg");
});

test("the query builder pages by offset with a total; the typed query pages by cursor", async () => {
  const prefix = unique("Page");
  for (const n of [1, 2, 3, 4, 5]) {
    await api.createBadge({ title: `${prefix} ${n}`, backgroundColor: "#000000", textColor: "#FFFFFF" });
  }
  const first = await api.queryBadges().startsWith("title", prefix).ascending("title").limit(2).find();
  assert.deepEqual(first.items.map((b) => b.title), [`${prefix} 1`, `${prefix} 2`]);
  assert.equal(first.totalCount, 5);
  assert.ok(first.hasNext());
  const second = await first.next();
  assert.deepEqual(second.items.map((b) => b.title), [`${prefix} 3`, `${prefix} 4`]);
  const third = await second.next();
  assert.deepEqual(third.items.map((b) => b.title), [`${prefix} 5`]);
  assert.equal(third.hasNext(), false);

  const typed = await api.queryBadges({ filter: { title: { $startsWith: prefix } }, sort: [{ fieldName: "title", order: "DESC" }], cursorPaging: { limit: 3 } });
  assert.deepEqual(typed.badges.map((b) => b.title), [`${prefix} 5`, `${prefix} 4`, `${prefix} 3`]);
  const next = await api.queryBadges({ cursorPaging: { cursor: typed.pagingMetadata.cursors.next, limit: 3 } });
  assert.deepEqual(next.badges.map((b) => b.title), [`${prefix} 2`, `${prefix} 1`]);
  assert.ok(!next.pagingMetadata.cursors.next);
});

test("move and display order", async () => {
  const a = await api.createBadge({ title: unique("Order A"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  const b = await api.createBadge({ title: unique("Order B"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  await api.moveBadge(b._id, { position: "FIRST" });
  let order = (await api.updateBadgesDisplayOrder([a._id])).badges.map((x) => x._id);
  assert.deepEqual(order.slice(0, 2), [a._id, b._id]);
  await api.moveBadge(a._id, { position: "AFTER", moveAfterBadgeId: b._id });
  order = (await api.updateBadgesDisplayOrder([b._id])).badges.map((x) => x._id);
  assert.deepEqual(order.slice(0, 2), [b._id, a._id]);
  const bad = await failure(api.moveBadge(a._id, { position: "AFTER" }));
  // the SDK names the field after its own argument
  assert.equal(bad.details.validationError.fieldViolations[0].field, "options.moveAfterBadgeId");
  assert.equal(bad.status, 400);
});

test("delete, then the badge is gone", async () => {
  const doomed = await api.createBadge({ title: unique("Doomed"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  await api.deleteBadge(doomed._id);
  const gone = await failure(api.getBadge(doomed._id));
  assert.equal(gone.details.applicationError.code, "BADGE_NOT_FOUND");
  assert.equal(gone.status, 404);
});

test("a read-only key reads but cannot write", async () => {
  const { badges: reader } = client({ badges }, process.env.INSIGNIA_READ_KEY);
  const page = await reader.queryBadges().limit(1).find();
  assert.ok(page.items.length <= 1);
  const refused = await failure(reader.createBadge({ title: "Nope", backgroundColor: "#000000", textColor: "#FFFFFF" }));
  assert.equal(refused.details.applicationError.code, "FORBIDDEN");
  const { badges: anonymous } = client({ badges }, "not-a-key");
  const unknown = await failure(anonymous.getBadge("00000000-0000-0000-0000-000000000000"));
  assert.equal(unknown.details.applicationError.code, "UNAUTHORIZED");
});
