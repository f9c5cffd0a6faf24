-- The desk's dashboard (issue 17, screen 6) reads each of its blocks through an index, so it
-- stays quick at 100,000 stories: a writer's own open stories, each partner's recently failed
-- and retrying webhook deliveries, and the newsletter issues being sent.
create index articles_created_by_status_idx on articles (created_by, status, updated_at desc, id desc);
create index webhook_deliveries_failed_idx on webhook_deliveries (partner_id, created_at)
    where status = 'failed';
create index webhook_deliveries_retrying_idx on webhook_deliveries (partner_id)
    where status = 'pending' and attempts > 0;
create index newsletter_issues_sending_idx on newsletter_issues (send_started_at) where status = 'sending';
