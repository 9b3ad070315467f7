-- Each badge's holder count, kept by triggers in the same transaction as every assignment
-- change (cascades from deleting a member included), so lists read one column instead of
-- counting up to millions of assignments on every page. Statement-level triggers: a batch of
-- 1,000 assignments updates each badge row once, not 1,000 times.
alter table badges add column member_count bigint not null default 0;
update badges b set member_count = (select count(*) from badge_assignments a where a.badge_id = b.id);

create function badge_assignments_count_in() returns trigger language plpgsql as $$
begin
    update badges b set member_count = b.member_count + n.added
    from (select badge_id, count(*) as added from inserted group by badge_id) n
    where b.id = n.badge_id;
    return null;
end
$$;

create function badge_assignments_count_out() returns trigger language plpgsql as $$
begin
    update badges b set member_count = b.member_count - n.gone
    from (select badge_id, count(*) as gone from removed group by badge_id) n
    where b.id = n.badge_id;
    return null;
end
$$;

create trigger badge_assignments_counted_in after insert on badge_assignments
    referencing new table as inserted for each statement execute function badge_assignments_count_in();

create trigger badge_assignments_counted_out after delete on badge_assignments
    referencing old table as removed for each statement execute function badge_assignments_count_out();
