-- Webhooks: the endpoints owners add, the event types each receives, and the deliveries of
-- events to them with every attempt made. Deliveries are written with the event, in the
-- change's transaction (store/events.rs), so an event is never without its deliveries.

create table webhook_endpoints (
    id          text primary key,
    -- https, or http to the local machine only
    url         text not null,
    -- 'sdk' (a JWT the published SDK verifies) or 'standard' (Standard Webhooks)
    format      text not null check (format in ('sdk', 'standard')),
    -- the Standard Webhooks signing secret (whsec_…); sent by Insignia, so kept as it is
    secret      text not null,
    -- a paused endpoint is sent nothing, and nothing is kept for it meanwhile
    paused      integer not null default 0 check (paused in (0, 1)),
    -- when its deliveries started giving up (the last attempt of one failed); cleared by a success
    failing_since text,
    created_at  text not null
);

-- one row per event type an endpoint receives, with the (entity, action) pairs it stands for,
-- so that deliveries are chosen with one join
create table webhook_subscriptions (
    endpoint_id text not null references webhook_endpoints (id) on delete cascade,
    -- e.g. wix.badges.v4.badge_created
    event_type  text not null,
    entity_type text not null,
    action      text not null,
    primary key (endpoint_id, event_type, entity_type, action)
);
create index webhook_subscriptions_event on webhook_subscriptions (entity_type, action);

create table webhook_deliveries (
    id          integer primary key autoincrement,
    endpoint_id text not null references webhook_endpoints (id) on delete cascade,
    -- the event (its id is the webhook-id of every attempt and redelivery)
    event_seq   integer not null references events (seq) on delete cascade,
    event_type  text not null,
    -- PENDING until an attempt succeeds (DELIVERED) or the last one fails (FAILED)
    status      text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts    integer not null default 0,
    next_attempt_at text not null,
    -- a worker that claims a delivery holds it until then; another may take it over after
    claimed_until text,
    created_at  text not null
);
create index webhook_deliveries_due on webhook_deliveries (status, next_attempt_at);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id);

create table webhook_attempts (
    id          integer primary key autoincrement,
    delivery_id integer not null references webhook_deliveries (id) on delete cascade,
    attempt     integer not null,
    attempted_at text not null,
    -- the receiver's status code; none when it could not be reached
    status_code integer,
    duration_ms integer not null,
    -- why it failed, in a few words
    error       text
);
create index webhook_attempts_delivery on webhook_attempts (delivery_id, id);
create index webhook_attempts_time on webhook_attempts (attempted_at);
