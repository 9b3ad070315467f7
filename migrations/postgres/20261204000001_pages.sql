-- Members-only pages, and the badges that open them.

create table pages (
    id          uuid primary key,
    -- increments by exactly 1 on every update; an update naming another revision is refused
    revision    bigint not null default 1,
    title       text not null,
    -- the page's address: /pages/{slug}
    slug        text not null,
    -- Markdown as the owner wrote it; rendered and sanitized on every read, so a sanitizer fix
    -- reaches pages saved before it
    content     text not null default '',
    -- true: every approved member reads it; false: only holders of its badges (with permissions).
    -- Decided when the page is saved, so deleting its last badge closes the page instead of
    -- opening it to everyone.
    open_to_members boolean not null,
    -- display order, ascending
    position    bigint not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    constraint pages_slug_key unique (slug)
);
create index pages_position on pages (position);

create table page_badges (
    -- deleting a page or a badge removes the link with it
    page_id    uuid not null references pages (id) on delete cascade,
    badge_id   uuid not null references badges (id) on delete cascade,
    primary key (page_id, badge_id)
);
create index page_badges_badge_id on page_badges (badge_id);
