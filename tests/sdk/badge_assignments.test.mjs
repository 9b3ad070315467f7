// The published Badge Assignments V4 client against Insignia: a loyalty script with a
// badges.manage key assigning badges to members it finds through the Members client.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as assignments from "@wix/auto_sdk_members_badge-assignments";
import * as badges from "@wix/auto_sdk_members_badges-v-2";
import * as members from "@wix/auto_sdk_members_members";
import { client, failure } from "./client.mjs";

const tag = Math.random().toString(36).slice(2, 8);
const cli = (...args) => execFileSync("target/debug/insignia", args, { encoding: "utf8" }).trim();
const { badgeAssignments: api, badges: badgeApi } = client({ badgeAssignments: assignments, badges });
const { badgeAssignments: reader } = client({ badgeAssignments: assignments }, process.env.INSIGNIA_READ_KEY);

let people = []; // member ids
const badge = async (name) =>
  (await badgeApi.createBadge({ title: `${name} ${tag}`, backgroundColor: "#1E1B4B", textColor: "#FEF3C7" }))._id;

before(async () => {
  const { members: memberApi } = client({ members }, cli("api-key", "create", "--name", "SDK assignments", "--scopes", "members.manage"));
  for (const n of [0, 1, 2, 3, 4]) {
    people.push((await memberApi.createMember({ member: { loginEmail: `ba${n}-${tag}@example.com` } }))._id);
  }
});

test("createBadgeAssignment with tags, a duplicate refused, deleteBadgeAssignment", async () => {
  const star = await badge("Star");
  const made = await api.createBadgeAssignment({ badgeId: star, memberId: people[0], tags: { tags: { tagIds: ["loyalty"] } } });
  assert.ok(made._id, "the SDK renames id to _id");
  assert.ok(made._createdDate instanceof Date);
  assert.deepEqual(made.tags, { tags: { tagIds: ["loyalty"] }, privateTags: { tagIds: [] } });
  const again = await failure(api.createBadgeAssignment({ badgeId: star, memberId: people[0] }));
  assert.equal(again.details.applicationError.code, "ALREADY_EXISTS");
  const missing = await failure(api.createBadgeAssignment({ badgeId: star }));
  assert.equal(missing.status, 400);
  await api.deleteBadgeAssignment(made._id); // the SDK answers nothing for a delete
  const gone = await failure(api.deleteBadgeAssignment(made._id));
  assert.equal(gone.details.applicationError.code, "ASSIGNMENT_NOT_FOUND");
});

test("bulkCreateBadgeAssignments reports each item; returnEntity returns them", async () => {
  const moon = await badge("Moon");
  const res = await api.bulkCreateBadgeAssignments(
    [
      { badgeId: moon, memberId: people[1] },
      { badgeId: moon, memberId: people[1] },
      { badgeId: moon, memberId: "00000000-0000-4000-8000-000000000000" },
    ],
    { returnEntity: true },
  );
  assert.deepEqual(res.results.map((r) => [r.itemMetadata.originalIndex, r.itemMetadata.success]), [[0, true], [1, false], [2, false]]);
  assert.equal(res.results[0].item._id, res.results[0].itemMetadata._id, "itemMetadata.id is renamed too");
  assert.deepEqual(res.results.slice(1).map((r) => r.itemMetadata.error.code), ["ALREADY_EXISTS", "MEMBER_NOT_FOUND"]);
  assert.deepEqual(res.bulkActionMetadata, { totalSuccesses: 1, totalFailures: 2, undetailedFailures: 0 });
  const removed = await api.bulkDeleteBadgeAssignments([res.results[0].item._id]);
  assert.equal(removed.bulkActionMetadata.totalSuccesses, 1);
});

test("the query builder pages by cursor: next() sends only the cursor and keeps the filter", async () => {
  const sun = await badge("Sun");
  const other = await badge("Other");
  await api.bulkCreateBadgeAssignments(people.map((memberId) => ({ badgeId: sun, memberId })));
  await api.createBadgeAssignment({ badgeId: other, memberId: people[0] });
  let page = await reader.queryBadgeAssignments().eq("badgeId", sun).limit(2).find();
  const seen = [];
  for (;;) {
    assert.ok(page.items.every((a) => a.badgeId === sun), "the filter holds on every page");
    seen.push(...page.items.map((a) => a.memberId));
    if (!page.hasNext()) break;
    page = await page.next();
  }
  assert.deepEqual([...seen].sort(), [...people].sort(), "each member once, across three pages");
  const mine = await reader.queryBadgeAssignments().in("memberId", [people[0]]).find();
  assert.equal(mine.items.length, 2);
  const denied = await failure(reader.createBadgeAssignment({ badgeId: sun, memberId: people[0] }));
  assert.equal(denied.status, 403, "a badges.read key reads only");
});

test("bulkUpdateBadgeAssignmentTags and the by-filter job", async () => {
  const gem = await badge("Gem");
  const made = await api.bulkCreateBadgeAssignments(people.slice(0, 3).map((memberId) => ({ badgeId: gem, memberId })));
  const ids = made.results.map((r) => r.itemMetadata._id);
  const res = await api.bulkUpdateBadgeAssignmentTags([ids[0]], {
    assignTags: { tags: { tagIds: ["gold", "vip"] } },
    unassignTags: { tags: { tagIds: ["vip"] } },
  });
  assert.equal(res.bulkActionMetadata.totalSuccesses, 1);
  const one = await reader.queryBadgeAssignments().eq("_id", ids[0]).find();
  assert.deepEqual(one.items[0].tags.tags.tagIds, ["gold", "vip"], "a tag in both lists ends up assigned");

  const { jobId } = await api.bulkUpdateBadgeAssignmentTagsByFilter({ badgeId: gem }, { assignTags: { tags: { tagIds: ["season"] } } });
  assert.match(jobId, /^[0-9a-f-]{36}$/);
  let tagged = [];
  for (let i = 0; i < 100 && tagged.length < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    tagged = (await reader.queryBadgeAssignments().eq("badgeId", gem).find()).items.filter((a) => a.tags.tags.tagIds.includes("season"));
  }
  assert.equal(tagged.length, 3, "the background job tagged all three within seconds");
});
