-- The email outbox: every email newsroom sends is first a row here, written in the same
-- transaction as the change that causes it (a subscription, a newsletter issue). The email
-- worker sends due rows over SMTP (or drops them as .eml files), retrying with backoff for
-- 24 hours. A dedupe key makes a second enqueue of the same email do nothing.

create table email_outbox (
    id uuid primary key,                 -- UUID v7: also the Message-ID and the .eml name
    kind text not null,                  -- what the email is: confirm, newsletter, ...
    recipient text not null,
    subject text not null,
    text_body text not null,
    html_body text not null,
    headers jsonb not null default '[]', -- extra headers as [[name, value], ...] (List-Unsubscribe)
    dedupe_key text,
    status text not null default 'pending'
        constraint email_outbox_status_check check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null,
    give_up_at timestamptz not null,
    created_at timestamptz not null,
    sent_at timestamptz,
    last_error text,
    constraint email_outbox_dedupe_key_key unique (dedupe_key)
);
create index email_outbox_due_idx on email_outbox (next_attempt_at) where status = 'pending';
