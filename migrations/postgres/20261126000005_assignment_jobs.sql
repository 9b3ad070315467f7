-- Long assignment runs ("assign to all matching", CSV imports) and badge delegation.

-- One background run that assigns or removes one badge for many members, in batches. Each batch
-- and the progress it makes are written in one transaction, so a run that is interrupted (a
-- restart, a crash) resumes after its last batch: nothing is done twice or skipped.
create table assignment_jobs (
    id          uuid primary key,
    badge_id    uuid not null references badges (id) on delete cascade,
    action      text not null check (action in ('ASSIGN', 'UNASSIGN')),
    -- FILTER: the members matching `filter` (JSON); LIST: the rows of assignment_job_items
    source      text not null check (source in ('FILTER', 'LIST')),
    filter      text,
    reason      text,
    created_by  uuid references accounts (id) on delete set null,
    status      text not null check (status in ('RUNNING', 'DONE', 'FAILED')),
    total       bigint not null,
    processed   bigint not null default 0,
    succeeded   bigint not null default 0,
    -- already held (assign) or not held (unassign)
    unchanged   bigint not null default 0,
    failed      bigint not null default 0,
    -- where the next batch starts: the last member id (FILTER) or line (LIST) done
    done_through text,
    error       text,
    created_at  timestamptz not null,
    finished_at timestamptz
);
create index assignment_jobs_created_at on assignment_jobs (created_at);
-- at most one run per badge at a time: a second click or a reload cannot start it twice
create unique index assignment_jobs_one_running on assignment_jobs (badge_id) where status = 'RUNNING';
create index assignment_jobs_status on assignment_jobs (status);

create table assignment_job_items (
    job_id    uuid not null references assignment_jobs (id) on delete cascade,
    line      bigint not null,
    member_id uuid not null,
    reason    text,
    primary key (job_id, line)
);

-- Members the owner trusts to assign one badge.
create table badge_assigners (
    badge_id   uuid not null references badges (id) on delete cascade,
    member_id  uuid not null references members (id) on delete cascade,
    created_at timestamptz not null,
    primary key (badge_id, member_id)
);
create index badge_assigners_member_id on badge_assigners (member_id);
