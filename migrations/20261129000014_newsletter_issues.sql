-- Newsletter issues, and who each was sent to: one row per issue × subscriber, so an issue
-- reaches each subscriber once however often "send" is called or the server is restarted.
create table newsletter_issues (
    id uuid primary key,
    newsletter_id uuid not null references newsletters (id) on delete restrict,
    number integer not null,
    subject text not null,
    intro text not null,
    article_ids uuid[] not null,
    status text not null default 'draft'
        constraint newsletter_issues_status_check check (status in ('draft', 'sending', 'sent')),
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    send_started_at timestamptz,
    sent_at timestamptz,
    constraint newsletter_issues_number_key unique (newsletter_id, number)
);

create table issue_recipients (
    issue_id uuid not null references newsletter_issues (id) on delete cascade,
    subscriber_id uuid not null references subscribers (id) on delete cascade,
    queued_at timestamptz not null,
    primary key (issue_id, subscriber_id)
);
