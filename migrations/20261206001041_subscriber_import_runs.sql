-- The real run of a staged import file, done in the background in batches
-- (`subscribers::import_run`). One run per file: the primary key refuses a second one.
-- `done` counts the file's rows imported so far and moves, with the tallies and the rows'
-- reports, in the same transaction as each batch's writes: a batch is kept whole or not at
-- all. `owner` and `lease_until` say which worker holds the run; a run whose lease ran out
-- (its instance died) is taken over and resumed from `done`.
create table subscriber_import_runs (
    import_id uuid primary key references subscriber_imports (id) on delete cascade,
    started_by uuid not null references users (id) on delete cascade,
    state text not null check (state in ('queued', 'running', 'done', 'failed')),
    total integer not null,
    done integer not null default 0,
    confirmed integer not null default 0,
    pending integer not null default 0,
    skipped integer not null default 0,
    rejected integer not null default 0,
    owner uuid,
    lease_until timestamptz,
    error text,
    queued_at timestamptz not null,
    started_at timestamptz,
    finished_at timestamptz
);
create index subscriber_import_runs_open_idx on subscriber_import_runs (queued_at)
    where state in ('queued', 'running');

-- What became of each row of a run's file, written with its batch.
create table subscriber_import_rows (
    import_id uuid not null references subscriber_import_runs (import_id) on delete cascade,
    line bigint not null,
    email text not null,
    outcome text not null check (outcome in ('confirmed', 'pending', 'skipped', 'rejected')),
    reason text,
    primary key (import_id, line)
);
