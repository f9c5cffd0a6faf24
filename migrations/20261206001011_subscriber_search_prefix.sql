-- The subscribers' search (`subscribers::store::list`, `?q=`) matches the start of the
-- address or of the name. Addresses are stored in lower case; names are compared in lower
-- case. `text_pattern_ops` lets `like 'prefix%'` use these btrees, so a search at 100,000
-- subscribers reads the matching rows only (a bitmap of both indexes) instead of walking the
-- table; no extension (pg_trgm) is needed, as for the media library.
create index subscribers_email_prefix_idx on subscribers (email text_pattern_ops);
create index subscribers_name_prefix_idx on subscribers (lower(name) text_pattern_ops);
