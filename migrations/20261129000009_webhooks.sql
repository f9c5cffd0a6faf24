-- Webhooks: every outbox event becomes one delivery per entitled partner with a webhook URL,
-- attempted until the partner answers 2xx or the delivery gives up (24 h after it was queued
-- or replayed). Every attempt is kept. A partner whose endpoint fails too often in a row is
-- paused until an admin resumes it.

alter table partners
    add column webhook_failures integer not null default 0,   -- consecutive failed attempts
    add column webhooks_paused_at timestamptz;

-- `outbox_events.delivered_at` now means "fanned out into webhook deliveries". Events from
-- before webhooks existed are not sent now, hours or days late.
update outbox_events set delivered_at = occurred_at where delivered_at is null;

create table webhook_deliveries (
    id uuid primary key,
    partner_id uuid not null references partners (id) on delete cascade,
    event_id uuid not null references outbox_events (id) on delete cascade,
    status text not null default 'pending'
        constraint webhook_deliveries_status_check check (status in ('pending', 'delivered', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    give_up_at timestamptz not null,
    created_at timestamptz not null,
    delivered_at timestamptz,
    last_status smallint,
    last_error text,
    constraint webhook_deliveries_event_partner_key unique (event_id, partner_id)
);
create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_partner_idx on webhook_deliveries (partner_id, id desc);

create table webhook_attempts (
    id uuid primary key,
    delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
    attempted_at timestamptz not null,
    duration_ms integer not null,
    status_code smallint,               -- absent when no answer came (refused, timeout, blocked)
    error text
);
create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, attempted_at);
