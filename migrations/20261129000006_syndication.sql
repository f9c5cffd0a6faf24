-- Syndication partners, their API keys, and the commit-ordered change feed.

create table partners (
    id uuid primary key,
    name text not null,
    -- entitlements: the outlets and sections the partner may pull; empty means all.
    outlet_ids uuid[] not null default '{}',
    section_ids uuid[] not null default '{}',
    webhook_url text,
    webhook_secret text,                -- used to sign webhook bodies; shown once at creation
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- Only the SHA-256 of a key is stored; `prefix` (its first characters) identifies it in lists.
create table api_keys (
    id uuid primary key,
    partner_id uuid not null references partners (id) on delete cascade,
    prefix text not null,
    key_hash bytea not null constraint api_keys_key_hash_key unique,
    expires_at timestamptz,
    created_at timestamptz not null,
    last_used_at timestamptz,
    revoked_at timestamptz
);
create index api_keys_partner_idx on api_keys (partner_id, created_at desc);

-- The change feed orders events by the transaction that wrote them: a reader only sees
-- events of transactions older than every transaction still running (pg_snapshot_xmin), so
-- an event that commits late can never land behind a cursor a partner already holds.
alter table outbox_events add column txid xid8 not null default pg_current_xact_id();
create index outbox_events_feed_idx on outbox_events (txid, id);
