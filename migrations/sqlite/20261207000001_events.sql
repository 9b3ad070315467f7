-- The outbox: every change to a badge, an assignment or a member writes its event here, in the
-- transaction of the change, so a rolled-back change leaves none and a committed one is never
-- without one. The audit log reads it; webhooks and live dashboards follow it by `seq`.

create table events (
    -- the order events were written in; consumers keep their place by it
    seq             integer primary key autoincrement,
    id              text not null,
    -- 'badge', 'badge_assignment' or 'member'
    entity_type     text not null,
    entity_id       text not null,
    -- 1, 2, 3… per entity: the order of that entity's changes (entityEventSequence)
    entity_sequence integer not null,
    -- created, updated, deleted, joined, left, approved, blocked, muted, unmuted
    action          text not null,
    -- who: 'account', 'api_key', 'member_token', 'system' or 'visitor'; the id of the account,
    -- key or token, and what to call them (an email, a key's prefix) as it was at the time
    actor_kind      text not null,
    actor_id        text,
    actor_label     text not null,
    occurred_at     text not null,
    -- the entity as JSON before and after the change: no `before` for a creation, no `after`
    -- for a deletion
    before_json     text,
    after_json      text,
    -- one entity's history, in order (ids are unique across entity types); an index on a
    -- random key is the costliest part of writing an event, so this is the only one: the
    -- event's own id is random and not looked up, and time ranges are read along seq
    constraint events_entity_sequence_key unique (entity_id, entity_sequence)
);
-- the audit log's filters, each newest first (appended in order: cheap to keep)
create index events_actor on events (actor_label, seq);
create index events_action on events (action, seq);
create index events_entity_type on events (entity_type, seq);
