-- Uploaded images (badge icons, later member photos), kept in the database so a backup of the
-- database is a backup of everything, and every server instance sees every image.

create table uploads (
    id           uuid primary key,
    content_type text not null
        check (content_type in ('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml')),
    -- the bytes as served: raster images as uploaded, SVGs as sanitised
    bytes        bytea not null,
    byte_size    integer not null,
    width        integer,
    height       integer,
    uploaded_by  uuid references accounts (id) on delete set null,
    created_at   timestamptz not null
);
