-- Uploaded images (badge icons, later member photos), kept in the database so a backup of the
-- database is a backup of everything, and every server instance sees every image.

create table uploads (
    id           text primary key,
    content_type text not null
        check (content_type in ('image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/svg+xml')),
    -- the bytes as served: raster images as uploaded, SVGs as sanitised
    bytes        blob not null,
    byte_size    integer not null,
    width        integer,
    height       integer,
    uploaded_by  text references accounts (id) on delete set null,
    created_at   text not null
);
