-- At-most-once delivery for bulk email (newsletter issues). Such an email is marked `sending`
-- in a commit of its own just before the SMTP transaction. If the instance dies mid-send, the
-- row stays `sending` until its lease ends; the worker then marks it `interrupted` and does not
-- send it again: it may or may not have arrived, and nobody gets an issue twice. Other email
-- (confirmations) keeps at-least-once delivery: `delivery` says which.

alter table email_outbox
    add column delivery text not null default 'at_least_once'
        constraint email_outbox_delivery_check check (delivery in ('at_least_once', 'at_most_once'));

alter table email_outbox drop constraint email_outbox_status_check;
alter table email_outbox add constraint email_outbox_status_check
    check (status in ('pending', 'sending', 'sent', 'failed', 'interrupted'));

-- The worker looks for `sending` rows whose lease ended on every pass.
create index email_outbox_sending_idx on email_outbox (next_attempt_at) where status = 'sending';
