-- Requests per partner and day (UTC): every request to the syndication API whose key was
-- valid and within its rate limit, whatever it answered (stories, none, a 304, a 403/404).
-- The server counts in memory and the usage log's flush (every second) adds its counts
-- here in one upsert, so the feed's read path never writes. Aggregated by
-- `GET /api/v1/partners/{id}/usage` beside the stories fetched.
create table partner_requests (
    partner_id uuid not null references partners (id) on delete cascade,
    day date not null,
    requests bigint not null,
    primary key (partner_id, day)
);
