-- Who has a story open in the desk, by heartbeat (no lock: saving stays safe through the
-- version check). A row older than a minute means the page was closed; old rows are simply
-- ignored and overwritten by the next heartbeat.
create table story_presence (
    article_id uuid not null references articles (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    seen_at timestamptz not null,
    primary key (article_id, user_id)
);
