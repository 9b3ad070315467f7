-- Accounts, members, sessions, login throttling and site settings.
-- SQLite keeps UUIDs as hyphenated text and timestamps as fixed-width RFC 3339 UTC text
-- (microseconds, `Z`), so text order is time order.

create table members (
    id              text primary key,
    login_email     text not null,
    status          text not null check (status in ('PENDING', 'APPROVED', 'BLOCKED', 'OFFLINE')),
    privacy_status  text not null default 'PRIVATE' check (privacy_status in ('PRIVATE', 'PUBLIC')),
    activity_status text not null default 'ACTIVE' check (activity_status in ('ACTIVE', 'MUTED')),
    nickname        text,
    slug            text not null,
    created_at      text not null,
    updated_at      text not null,
    last_login_at   text,
    constraint members_login_email_key unique (login_email),
    constraint members_slug_key unique (slug)
);

create table accounts (
    id            text primary key,
    email         text not null,
    password_hash text not null,
    role          text not null check (role in ('owner', 'admin', 'member')),
    -- a member account belongs to its member and goes with it
    member_id     text references members (id) on delete cascade,
    created_at    text not null,
    constraint accounts_email_key unique (email),
    constraint accounts_member_id_key unique (member_id)
);

-- at most one owner, enforced by the database rather than by a check-then-insert race
create unique index accounts_one_owner on accounts (role) where role = 'owner';

create table sessions (
    -- SHA-256 of the cookie's token, hex: the token itself is never stored
    token_hash  text primary key,
    account_id  text not null references accounts (id) on delete cascade,
    created_at  text not null,
    expires_at  text not null
);
create index sessions_account_id on sessions (account_id);
create index sessions_expires_at on sessions (expires_at);

create table login_failures (
    id        integer primary key autoincrement,
    -- the normalised email tried; throttling is per account name so that one attacker
    -- cannot lock out everybody, and several instances share the count
    key       text not null,
    failed_at text not null
);
create index login_failures_key_failed_at on login_failures (key, failed_at);

create table settings (
    key   text primary key,
    value text not null
);
