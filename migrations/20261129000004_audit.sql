-- Every change made through the admin API, written in the transaction of the change.

create table audit_entries (
    id uuid primary key,               -- UUID v7: sorts by time of writing
    actor_id uuid references users (id) on delete set null,
    actor_label text not null,         -- the actor's email at the time, or `cli`
    action text not null,              -- `outlet.create`, `user.deactivate`, `auth.login`, ...
    entity_type text not null,
    entity_id uuid,
    changes jsonb not null default '{}'::jsonb,
    request_id text,
    created_at timestamptz not null
);
create index audit_entries_entity_idx on audit_entries (entity_type, entity_id, id desc);
create index audit_entries_actor_idx on audit_entries (actor_id, id desc);
create index audit_entries_created_at_idx on audit_entries (created_at);
