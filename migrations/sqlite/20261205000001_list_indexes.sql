-- Keyset paging of the dashboard's member list (src/store/member_order.rs): one index per
-- sort, on exactly the key expressions that sort's `order by` and row-value comparison use,
-- so a page anywhere in the list starts with an index seek instead of an offset scan.
-- (Newest first uses members_created_at_id.)
create index members_nickname_order on members ((nickname is null), (coalesce(nickname, '')), id);
create index members_name_order on members
    ((last_name is null), (coalesce(last_name, '')), (first_name is null), (coalesce(first_name, '')), id);
create index members_last_login_order on members
    ((last_login_at is not null), (coalesce(last_login_at, created_at)), id);
-- "Community: joined (public)" sorted by last login, the combination owners use to see who is
-- active in the community.
create index members_privacy_last_login_order on members
    (privacy_status, (last_login_at is not null), (coalesce(last_login_at, created_at)), id);
-- A status filter with a sort ("waiting for approval, newest first", "blocked, by name"): the
-- status first, then the sort's keys, so the page is read in order instead of every member of
-- that status sorted (SQLite's planner takes members_status otherwise, with or without ANALYZE).
create index members_status_newest on members (status, created_at, id);
create index members_status_name_order on members
    (status, (last_name is null), (coalesce(last_name, '')), (first_name is null), (coalesce(first_name, '')), id);
-- A badge's holders, most recently assigned first, ties by member id (store/holders.rs): read
-- in index order, from the start or from a holder's place, so a page deep into a badge of
-- 100,000 holders neither sorts them all nor skips through them.
create index badge_assignments_badge_newest on badge_assignments (badge_id, created_at, member_id);
