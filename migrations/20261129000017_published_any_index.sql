-- The staff list sorted by `published_at` covers every story that was ever published
-- (unpublished, killed and corrected ones keep their `published_at`), so it cannot use the
-- public feeds' index, which holds published stories only: at a million stories it sorted
-- the whole table (470 ms a page). This index serves it, with or without a search.
create index articles_published_any_idx on articles (published_at desc, id desc)
    where published_at is not null;
