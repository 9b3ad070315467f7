-- The rest of a member: contact details and profile, plus the indexes the member list sorts and
-- filters by. Lists of phones, emails and addresses are JSON arrays (text), read and written
-- whole, as the Members API does.

alter table members add column first_name text;
alter table members add column last_name text;
alter table members add column company text;
alter table members add column job_title text;
-- YYYY-MM-DD
alter table members add column birthdate text;
alter table members add column phones text not null default '[]';
alter table members add column emails text not null default '[]';
alter table members add column addresses text not null default '[]';
-- the profile's title line ("Head gardener"), not the job title
alter table members add column title text;
alter table members add column photo_id text references uploads (id) on delete set null;
alter table members add column cover_id text references uploads (id) on delete set null;

create index members_created_at on members (created_at);
create index members_last_login_at on members (last_login_at);
create index members_nickname on members (nickname);
create index members_name on members (last_name, first_name);
create index members_status on members (status);
-- the public directory: public approved members by slug
create index members_directory on members (privacy_status, status, slug);
-- a member's badges, and a badge's holders, both in one index lookup
create index badge_assignments_badge_id_created_at on badge_assignments (badge_id, created_at);
