// The published Badges V3 client (deprecated upstream, still used) against Insignia: the same
// badges as V4, without revisions, with the icon as a plain URL.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as badgesV3 from "@wix/auto_sdk_members_badges";
import * as badgesV4 from "@wix/auto_sdk_members_badges-v-2";
import { client, failure } from "./client.mjs";

const { v3, v4 } = client({ v3: badgesV3, v4: badgesV4 });
const unique = (name) => `${name} ${Math.random().toString(36).slice(2, 8)}`;

test("a badge made through V3 is the same badge through V4, and the other way round", async () => {
  const title = unique("Legacy");
  const made = await v3.createBadge({ title, backgroundColor: "#796EFF", textColor: "#FFFFFF", icon: "https://cdn.example.com/l.svg" });
  assert.ok(made._id);
  assert.equal(made.icon, "https://cdn.example.com/l.svg", "V3 icons are URL strings");
  const seen = await v4.getBadge(made._id);
  assert.equal(seen.title, title);
  assert.equal(seen.icon, "https://cdn.example.com/l.svg", "V3's icon is V4's icon.url");

  const renamed = unique("Renamed");
  const updated = await v3.updateBadge(made._id, { title: renamed });
  assert.equal(updated.title, renamed);
  assert.match(updated.slug, /^renamed-/, "the slug follows the title");
  assert.equal((await v4.getBadge(made._id)).revision, "2", "a V3 update counts as a revision");

  const fromV4 = await v4.createBadge({ title: unique("Modern"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  assert.equal((await v3.getBadge(fromV4._id)).title, fromV4.title);

  await v3.deleteBadge(made._id);
  const gone = await failure(v4.getBadge(made._id));
  assert.equal(gone.status, 404);
});

test("lists in display order with paging metadata, counts and reorders", async () => {
  const a = await v3.createBadge({ title: unique("List A"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  const b = await v3.createBadge({ title: unique("List B"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  const reordered = await v3.updateBadgesDisplayOrder([b._id, a._id]);
  assert.deepEqual(reordered.badges.slice(0, 2).map((x) => x._id), [b._id, a._id]);
  const page = await v3.listBadges({ paging: { limit: 2, offset: 0 } });
  assert.deepEqual(page.badges.map((x) => x._id), [b._id, a._id]);
  assert.equal(page.metadata.count, 2);
  assert.ok(page.metadata.total >= 2);
  const counts = await v3.getMemberCountsPerBadge();
  const mine = counts.badgeMemberCounts.find((c) => c.badgeId === a._id);
  assert.equal(mine.memberCount, 0);
  const holders = await v3.listMembersByBadge(a._id, { paging: { limit: 10 } });
  assert.deepEqual(holders.memberIds ?? [], []);
  assert.equal(holders.metadata.total, 0);
});

test("assigning to members who do not exist assigns nothing", async () => {
  const badge = await v3.createBadge({ title: unique("Nobody"), backgroundColor: "#000000", textColor: "#FFFFFF" });
  const ghost = "00000000-0000-4000-8000-000000000001";
  const assigned = await v3.assignBadge(badge._id, [ghost]);
  assert.deepEqual(assigned.memberIds ?? [], []);
  await v3.unassignBadge(badge._id, [ghost]);
  const per = await v3.listBadgesPerMember([ghost]);
  assert.deepEqual(per.memberBadgeIds, [{ memberId: ghost, badgeIds: [] }]);
});
