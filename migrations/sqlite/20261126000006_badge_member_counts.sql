-- Each badge's holder count, kept by triggers in the same transaction as every assignment
-- change (cascades from deleting a member included), so lists read one column instead of
-- counting up to millions of assignments on every page.
alter table badges add column member_count integer not null default 0;
update badges set member_count = (select count(*) from badge_assignments a where a.badge_id = badges.id);

create trigger badge_assignments_counted_in after insert on badge_assignments
begin
    update badges set member_count = member_count + 1 where id = new.badge_id;
end;

create trigger badge_assignments_counted_out after delete on badge_assignments
begin
    update badges set member_count = member_count - 1 where id = old.badge_id;
end;
