-- REST part 2: who (which key) made an assignment, assignments' tags, and background jobs of
-- every kind in one table.

-- The API key (or member token) an assignment was made with; `assigned_by` keeps the account.
alter table badge_assignments add column assigned_by_key uuid references api_keys (id) on delete set null;

-- An assignment's tags (Badge Assignments V4 `tags.tags` and `tags.privateTags`), one row per tag
-- so that filters on them are plain indexed lookups.
create table badge_assignment_tags (
    assignment_id uuid not null references badge_assignments (id) on delete cascade,
    private       boolean not null,
    tag_id        text not null,
    -- the tag's place in its list, as given
    position      integer not null,
    primary key (assignment_id, private, tag_id)
);
create index badge_assignment_tags_tag on badge_assignment_tags (tag_id, private);

-- Background jobs: what assignment_jobs held (assign or remove one badge over many members)
-- and the REST API's by-filter operations (update assignments' tags; delete, approve or block
-- members). Each batch and the progress it makes are one transaction, so an interrupted job
-- resumes after its last batch. assignment_jobs is kept as it was; its runs are copied here.
create table jobs (
    id          uuid primary key,
    action      text not null check (action in
                    ('ASSIGN', 'UNASSIGN', 'UPDATE_TAGS', 'DELETE_MEMBERS', 'APPROVE_MEMBERS', 'BLOCK_MEMBERS')),
    -- the badge of an ASSIGN or UNASSIGN run
    badge_id    uuid references badges (id) on delete cascade,
    -- FILTER: members matching the dashboard's filters; LIST: the rows of job_items;
    -- MEMBER_QUERY: members matching a REST filter; ASSIGNMENT_QUERY: assignments matching one
    source      text not null check (source in ('FILTER', 'LIST', 'MEMBER_QUERY', 'ASSIGNMENT_QUERY')),
    -- the filter, as JSON
    filter      text,
    -- the action's own arguments, as JSON (the tags an UPDATE_TAGS job adds and removes)
    params      text,
    reason      text,
    created_by  uuid references accounts (id) on delete set null,
    created_by_key uuid references api_keys (id) on delete set null,
    status      text not null check (status in ('RUNNING', 'DONE', 'FAILED')),
    total       bigint not null,
    processed   bigint not null default 0,
    succeeded   bigint not null default 0,
    unchanged   bigint not null default 0,
    failed      bigint not null default 0,
    -- where the next batch starts: the last id (a filter) or line (a list) done
    done_through text,
    error       text,
    created_at  timestamptz not null,
    finished_at timestamptz,
    constraint jobs_badge_check check ((badge_id is not null) = (action in ('ASSIGN', 'UNASSIGN')))
);
create index jobs_created_at on jobs (created_at);
create index jobs_status on jobs (status);
-- at most one run per badge at a time: a second click or a reload cannot start it twice
create unique index jobs_one_running on jobs (badge_id) where status = 'RUNNING';

create table job_items (
    job_id    uuid not null references jobs (id) on delete cascade,
    line      bigint not null,
    member_id uuid not null,
    reason    text,
    primary key (job_id, line)
);

insert into jobs (id, action, badge_id, source, filter, reason, created_by, status, total, processed, succeeded,
                  unchanged, failed, done_through, error, created_at, finished_at)
select id, action, badge_id, source, filter, reason, created_by, status, total, processed, succeeded,
       unchanged, failed, done_through, error, created_at, finished_at
from assignment_jobs;
insert into job_items (job_id, line, member_id, reason)
select job_id, line, member_id, reason from assignment_job_items;

-- Members V1 lists and queries newest first with the id breaking ties; an index in exactly that
-- order lets a page (even at a deep offset) be read off the index instead of sorting every member.
create index members_created_at_id on members (created_at, id);
