-- Newsletters, their subscribers, and the proof of consent.

create table newsletters (
    id uuid primary key,
    slug text not null constraint newsletters_slug_key unique,
    name text not null,
    description text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- A reader, once per address (normalised to lower case). After erasure the row keeps its id
-- (the ledger refers to it) and loses every personal field.
create table subscribers (
    id uuid primary key,
    email text constraint subscribers_email_key unique,
    name text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    erased_at timestamptz
);

create table subscriptions (
    subscriber_id uuid not null references subscribers (id) on delete cascade,
    newsletter_id uuid not null references newsletters (id) on delete restrict,
    status text not null constraint subscriptions_status_check
        check (status in ('pending', 'confirmed', 'unsubscribed')),
    policy_version text,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    confirmed_at timestamptz,
    unsubscribed_at timestamptz,
    primary key (subscriber_id, newsletter_id)
);
create index subscriptions_newsletter_idx on subscriptions (newsletter_id, status);

-- Single-use double opt-in tokens: only the SHA-256 is stored; valid 48 hours.
create table confirmation_tokens (
    token_hash bytea primary key,
    subscriber_id uuid not null references subscribers (id) on delete cascade,
    newsletter_id uuid not null references newsletters (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at timestamptz
);
create index confirmation_tokens_subscriber_idx on confirmation_tokens (subscriber_id);

-- Unsubscribe tokens, one per newsletter email sent (its footer link and RFC 8058 one-click
-- header). They do not expire: an unsubscribe link must keep working. Only the SHA-256 is
-- stored, so a token cannot be shown again and each email gets its own.
create table unsubscribe_tokens (
    token_hash bytea primary key,
    subscriber_id uuid not null references subscribers (id) on delete cascade,
    newsletter_id uuid not null references newsletters (id) on delete cascade,
    created_at timestamptz not null
);

-- The consent ledger: append-only proof of who agreed to what, when, from where, under
-- which policy. Rows are never changed or deleted (a trigger refuses it); erasure adds a row.
create table consent_events (
    id uuid primary key,
    subscriber_id uuid not null references subscribers (id) on delete restrict,
    newsletter_id uuid references newsletters (id) on delete set null,
    action text not null constraint consent_events_action_check
        check (action in ('subscribed', 'confirmed', 'unsubscribed', 'imported', 'erased')),
    at timestamptz not null,
    ip text,
    user_agent text,
    policy_version text,
    source text
);
create index consent_events_subscriber_idx on consent_events (subscriber_id, at);

create function consent_events_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the consent ledger is append-only';
end $$;
create trigger consent_events_append_only before update or delete on consent_events
    for each row execute function consent_events_append_only();

-- Addresses never mailed again, by SHA-256 of the normalised address so an erased address
-- stays suppressed without being kept. `newsletter_id` null: every newsletter (bounced,
-- erased); set: that newsletter only (unsubscribed; a new confirmed sign-up lifts it).
create table suppressions (
    email_hash bytea not null,
    newsletter_id uuid references newsletters (id) on delete cascade,
    reason text not null constraint suppressions_reason_check
        check (reason in ('unsubscribed', 'bounced', 'erased')),
    created_at timestamptz not null
);
create unique index suppressions_key on suppressions (email_hash, coalesce(newsletter_id, '00000000-0000-0000-0000-000000000000'));

-- Sign-ups per address per hour, counted before anything else (like login throttling).
create table signup_throttles (
    email_hash bytea primary key,
    attempts integer not null,
    window_started_at timestamptz not null
);
