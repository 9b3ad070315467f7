-- API keys for the REST API, and members' personal tokens (a token is a key that acts as its
-- member). Only a SHA-256 of the secret is kept: keys are long random strings, so a fast hash
-- is enough, and a database leak yields no usable key. The prefix (the key's start, shown in
-- lists and logs) finds the row; the hash is then compared in constant time.

create table api_keys (
    id           text primary key,
    prefix       text not null,
    key_hash     text not null,
    name         text not null,
    -- comma-separated scopes (badges.read, badges.manage, members.read, members.manage);
    -- empty for a member token, which has its member's powers instead
    scopes       text not null default '',
    -- set for a member token; deleting the member removes it
    member_id    text references members (id) on delete cascade,
    created_by   text references accounts (id) on delete set null,
    created_at   text not null,
    last_used_at text,
    constraint api_keys_prefix_key unique (prefix)
);
create index api_keys_member_id on api_keys (member_id);
