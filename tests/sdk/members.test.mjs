// The published Members V1 client against Insignia: a site script with a members.manage key,
// and a member's own script with their personal token.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as members from "@wix/auto_sdk_members_members";
import { client, failure } from "./client.mjs";

const tag = Math.random().toString(36).slice(2, 8);
const email = (name) => `${name}-${tag}@example.com`;
const base = `http://${process.env.INSIGNIA_HOST}`;

// keys from the command line, as an owner makes them (the script's keys are badges.* only)
const cli = (...args) => execFileSync("target/debug/insignia", args, { encoding: "utf8" }).trim();

let api; // members.manage
let reader; // members.read
let memberToken; // a signed-up member's own token
let memberId;

/// Signs a member up through the sign-up form (as a browser without scripts would), then makes
/// them a personal token with the CLI.
async function signUp(address) {
  const page = await (await fetch(`${base}/signup`)).text();
  const action = page.match(/<form action="([^"]+)"/)[1];
  const form = new URLSearchParams({ email: address, password: "member-password-1", password_confirm: "member-password-1" });
  const res = await fetch(`${base}${action}`, { method: "POST", body: form, redirect: "manual" });
  assert.ok(res.status < 400, `sign-up answered ${res.status}`);
  return cli("api-key", "create", "--name", "SDK member", "--member", address);
}

before(async () => {
  api = client({ members }, cli("api-key", "create", "--name", "SDK members", "--scopes", "members.manage")).members;
  reader = client({ members }, cli("api-key", "create", "--name", "SDK members (read)", "--scopes", "members.read")).members;
  memberToken = await signUp(email("self"));
});

test("createMember, then getMember through each fieldset", async () => {
  const created = await api.createMember({
    member: {
      loginEmail: email("ann"),
      profile: { nickname: `Ann ${tag}`, title: "Chef" },
      contact: { firstName: "Ann", phones: ["+1 555 0100"], addresses: [{ addressLine: "1 Main St", city: "Springfield" }] },
    },
  });
  assert.ok(created._id, "the SDK renames id to _id");
  assert.ok(created._createdDate instanceof Date, "dates arrive as Dates");
  assert.equal(created.status, "APPROVED");
  assert.equal(created.privacyStatus, "PRIVATE");
  assert.equal(created.activityStatus, "ACTIVE");
  assert.equal(created.profile.slug, `ann-${tag}`);
  assert.deepEqual(created.contact.emails, []);
  assert.ok(created.contact.addresses[0]._id, "address ids are renamed too");
  assert.equal(created.profile.photo.url, "");

  const pub = await api.getMember(created._id);
  assert.equal(pub.status, "UNKNOWN");
  assert.equal(pub.loginEmail, undefined);
  assert.equal(pub.profile.nickname, `Ann ${tag}`);
  const extended = await reader.getMember(created._id, { fieldsets: ["PUBLIC", "EXTENDED"] });
  assert.equal(extended.loginEmail, email("ann"));
  assert.equal(extended.contact, undefined, "EXTENDED carries no contact");
  const full = await reader.getMember(created._id, { fieldsets: ["FULL"] });
  assert.deepEqual(full.contact.phones, ["+1 555 0100"]);

  const again = await failure(api.createMember({ member: { loginEmail: email("ann") } }));
  assert.equal(again.details.applicationError.code, "MEMBER_ALREADY_EXISTS");
  const missing = await failure(api.getMember("00000000-0000-4000-8000-000000000000"));
  assert.equal(missing.status, 404);
});

test("listMembers pages and sorts (the request travels as .r)", async () => {
  for (const n of ["c", "a", "b"]) {
    await api.createMember({ member: { loginEmail: email(`list-${n}`), profile: { nickname: `~list ${tag} ${n}` } } });
  }
  const sorting = [{ fieldName: "profile.nickname", order: "DESC" }];
  const first = await api.listMembers({ paging: { limit: 2, offset: 0 }, sorting, fieldsets: ["FULL"] });
  assert.equal(first.members.length, 2);
  assert.ok(first.metadata.total >= 4);
  assert.deepEqual(first.members.map((m) => m.profile.nickname), [`~list ${tag} c`, `~list ${tag} b`], "'~' sorts last, so first in DESC");
  assert.ok(first.members[0].loginEmail, "FULL, from inside .r");
  const second = await api.listMembers({ paging: { limit: 2, offset: 1 }, sorting });
  assert.equal(second.members[0]._id, first.members[1]._id);
  assert.equal(second.members[0].loginEmail, undefined, "PUBLIC by default");
  const plain = await api.listMembers({ fieldsets: ["EXTENDED"] });
  assert.ok(plain.members.every((m) => m.loginEmail));
});

test("the queryMembers builder filters and pages with hasNext/next", async () => {
  for (const n of [1, 2, 3]) {
    await api.createMember({ member: { loginEmail: email(`query-${n}`), profile: { nickname: `Query ${tag} ${n}` } } });
  }
  const page = await api.queryMembers({ fieldsets: ["FULL"] }).startsWith("profile.nickname", `Query ${tag}`).limit(2).find();
  assert.equal(page.items.length, 2);
  assert.equal(page.totalCount, 3);
  assert.ok(page.items[0].loginEmail.startsWith("query-"));
  assert.ok(page.hasNext());
  const next = await page.next();
  assert.equal(next.items.length, 1);
  assert.equal(next.hasNext(), false);
  const seen = new Set([...page.items, ...next.items].map((m) => m._id));
  assert.equal(seen.size, 3, "every member once");
  const one = await api.queryMembers().eq("loginEmail", email("query-2")).find();
  assert.deepEqual(one.items.map((m) => m.profile.nickname), [`Query ${tag} 2`]);
});

test("updateMember changes only what is sent; slugs clash by name", async () => {
  const m = await api.createMember({ member: { loginEmail: email("bo"), profile: { nickname: `Bo ${tag}` }, contact: { firstName: "Bo", company: "Diner" } } });
  const updated = await api.updateMember(m._id, { profile: { title: "Cook" }, contact: { company: "" } });
  assert.equal(updated.profile.title, "Cook");
  assert.equal(updated.profile.nickname, `Bo ${tag}`);
  assert.equal(updated.contact.firstName, "Bo");
  assert.equal(updated.contact.company, undefined, "'' clears");
  const bad = await failure(api.updateMember(m._id, { contact: { birthdate: "soon" } }));
  assert.equal(bad.status, 400);
  assert.ok(bad.details.validationError.fieldViolations.length);

  const other = await api.createMember({ member: { loginEmail: email("cy") } });
  const clash = await failure(api.updateMemberSlug(other._id, m.profile.slug));
  assert.equal(clash.details.applicationError.code, "SLUG_ALREADY_EXISTS");
  assert.deepEqual(clash.details.applicationError.data, { slug: m.profile.slug });
  const moved = await api.updateMemberSlug(other._id, `cy-${tag}-new`);
  assert.equal(moved.member.profile.slug, `cy-${tag}-new`);
  const cleared = await api.deleteMemberPhones(m._id);
  assert.deepEqual(cleared.member.contact.phones, []);
});

test("mute, approve and block; bulk delete reports each member", async () => {
  const m = await api.createMember({ member: { loginEmail: email("dee") } });
  assert.equal((await api.muteMember(m._id)).member.activityStatus, "MUTED");
  assert.equal((await api.unmuteMember(m._id)).member.activityStatus, "ACTIVE");
  assert.equal((await api.blockMember(m._id)).member.status, "BLOCKED");
  assert.equal((await api.approveMember(m._id)).member.status, "APPROVED", "approving unblocks");
  assert.equal((await api.disconnectMember(m._id)).member.status, "OFFLINE");

  const unknown = "00000000-0000-4000-8000-000000000000";
  const bulk = await api.bulkDeleteMembers([m._id, unknown]);
  assert.deepEqual(bulk.results.map((r) => [r.itemMetadata._id, r.itemMetadata.success]), [[m._id, true], [unknown, false]]);
  assert.equal(bulk.results[1].itemMetadata.error.code, "MEMBER_NOT_FOUND");
  assert.deepEqual(bulk.bulkActionMetadata, { totalSuccesses: 1, totalFailures: 1, undetailedFailures: 0 });
  await api.deleteMember((await api.createMember({ member: { loginEmail: email("gone") } }))._id);
});

test("the by-filter calls start a job and answer its id", async () => {
  const doomed = await api.createMember({ member: { loginEmail: email("doomed"), profile: { nickname: `Doomed ${tag}` } } });
  const approve = await api.bulkApproveMembers({ loginEmail: email("doomed") });
  assert.match(approve.jobId, /^[0-9a-f-]{36}$/);
  const block = await api.bulkBlockMembers({ loginEmail: email("doomed") });
  assert.ok(block.jobId);
  const del = await api.bulkDeleteMembersByFilter({ loginEmail: email("doomed") }, { search: { expression: "Doomed" } });
  assert.ok(del.jobId);
  // the run works in the background: give it a moment
  const exists = () => api.getMember(doomed._id).then(() => true, () => false);
  for (let i = 0; i < 100 && (await exists()); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal((await failure(api.getMember(doomed._id))).status, 404, "the run deleted the member");
});

test("a member's token: getCurrentMember, joinCommunity, its own record only", async () => {
  const { members: mine } = client({ members }, memberToken);
  const me = await mine.getCurrentMember({ fieldsets: ["FULL"] });
  memberId = me.member._id;
  assert.equal(me.member.loginEmail, email("self"));
  const joined = await mine.joinCommunity();
  assert.equal(joined.member.privacyStatus, "PUBLIC");
  const updated = await mine.updateMember(memberId, { profile: { nickname: `Self ${tag}` } });
  assert.equal(updated.profile.nickname, `Self ${tag}`);
  const slug = await mine.updateCurrentMemberSlug(`self-${tag}`);
  assert.equal(slug.member.profile.slug, `self-${tag}`);
  const left = await mine.leaveCommunity();
  assert.equal(left.member.privacyStatus, "PRIVATE");

  const someone = await api.createMember({ member: { loginEmail: email("someone") } });
  assert.equal((await failure(mine.getMember(someone._id))).status, 404, "a private member does not exist for others");
  assert.equal((await failure(mine.updateMember(someone._id, { profile: { title: "x" } }))).status, 403);
  assert.equal((await failure(mine.blockMember(someone._id))).status, 403);
  const site = await failure(api.getCurrentMember());
  assert.equal(site.details.applicationError.code, "NOT_FOUND", "a site key is no member");

  await mine.deleteMyMember();
  const after = await failure(mine.getCurrentMember());
  assert.equal(after.status, 401, "the token is refused once its member is gone");
});

test("a badges-only key may not call Members", async () => {
  const { members: badgesOnly } = client({ members }, process.env.INSIGNIA_KEY);
  const refused = await failure(badgesOnly.listMembers());
  assert.equal(refused.details.applicationError.code, "FORBIDDEN");
  assert.equal(refused.status, 403);
});
