-- Ranking reads a small vector of the headline (weight A) and standfirst (weight B) only:
-- ranking on the whole-body vector detoasted kilobytes per match and made searches for
-- common words take a second at 100,000 stories. Matching still uses the full `search`.
alter table articles add column search_head tsvector generated always as (
    setweight(to_tsvector(newsroom_ts_config(language), headline), 'A') ||
    setweight(to_tsvector(newsroom_ts_config(language), coalesce(standfirst, '')), 'B')
) stored;
