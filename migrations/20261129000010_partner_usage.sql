-- Every story an API key fetched (one story, or each visible story of a feed page), written
-- in batches by the server so the read path never waits for it. Aggregated by
-- `GET /api/v1/partners/{id}/usage`.
create table partner_usage (
    partner_id uuid not null references partners (id) on delete cascade,
    key_id uuid not null,
    article_id uuid not null,
    article_version integer not null,
    outlet_id uuid not null,
    fetched_at timestamptz not null
);
create index partner_usage_partner_idx on partner_usage (partner_id, fetched_at);
