-- Newsletter issue states say what happened to the emails. Until now `sent` meant "every
-- recipient is queued", while the emails could still be waiting in the outbox. Now:
--   draft    composed, not sent;
--   sending  from the send request until the last of its emails is out (sent, failed or
--            interrupted); `queued_at` is set once every recipient is queued;
--   sent     every email is out; `sent_at` is when the last one went.
-- The states become a Postgres enum, like the other states of the schema.

create type issue_status as enum ('draft', 'sending', 'sent');

alter table newsletter_issues add column queued_at timestamptz;

alter table newsletter_issues drop constraint newsletter_issues_status_check;
alter table newsletter_issues alter column status drop default;
alter table newsletter_issues alter column status type issue_status using status::issue_status;
alter table newsletter_issues alter column status set default 'draft';

-- The old `sent` was the moment queueing finished.
update newsletter_issues set queued_at = sent_at where status = 'sent';

-- An old `sent` issue with emails still in the outbox is `sending` again until they are out.
update newsletter_issues i set status = 'sending', sent_at = null
where i.status = 'sent' and exists (
    select 1 from issue_recipients r
    join email_outbox e on e.dedupe_key = 'issue:' || r.issue_id::text || ':' || r.subscriber_id::text
    where r.issue_id = i.id and e.status in ('pending', 'sending'));

-- An issue whose emails are all out was sent when its last email went.
update newsletter_issues i set sent_at = coalesce((
    select max(e.sent_at) from issue_recipients r
    join email_outbox e on e.dedupe_key = 'issue:' || r.issue_id::text || ':' || r.subscriber_id::text
    where r.issue_id = i.id), i.sent_at)
where i.status = 'sent';

alter table newsletter_issues add constraint newsletter_issues_sent_check
    check (status <> 'sent' or (queued_at is not null and sent_at is not null));
