-- Badges, and who holds them.

create table badges (
    id                  text primary key,
    -- increments by exactly 1 on every update; an update naming another revision is refused
    revision            integer not null default 1,
    title               text not null,
    description         text not null default '',
    background_color    text not null,
    text_color          text not null,
    -- the icon: a library icon's name, an uploaded image's id, or an external URL
    icon_kind           text check (icon_kind in ('library', 'upload', 'url')),
    icon_value          text,
    icon_alt            text not null default '',
    permissions_enabled integer not null default 0 check (permissions_enabled in (0, 1)),
    slug                text not null,
    -- display order, ascending
    position            integer not null,
    created_at          text not null,
    updated_at          text not null,
    constraint badges_slug_key unique (slug),
    constraint badges_icon_check check ((icon_kind is null) = (icon_value is null))
);
create index badges_position on badges (position);

create table badge_assignments (
    id          text primary key,
    -- deleting a badge (or a member) removes its assignments with it
    badge_id    text not null references badges (id) on delete cascade,
    member_id   text not null references members (id) on delete cascade,
    assigned_by text references accounts (id) on delete set null,
    reason      text,
    created_at  text not null,
    updated_at  text not null,
    -- a member holds a badge at most once
    constraint badge_assignments_badge_member_key unique (badge_id, member_id)
);
create index badge_assignments_member_id on badge_assignments (member_id);
