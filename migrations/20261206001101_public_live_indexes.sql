-- The public and partner lists walk stories newest first. Published stories still under
-- embargo sat at the head of the old indexes (`where status = 'published'`), so every list
-- read walked and discarded them: ~1,000 rows a request at 100,000 stories, ~10,000 at a
-- million (issue #19). These indexes hold only the stories that are live for good: published
-- and never embargoed, or whose embargo was released (`embargo_released_at`, set when the
-- lift is announced, within a second of it). The few whose embargo has passed but is not
-- released yet come from articles_embargo_idx (`embargo_until`, pending ones only), which a
-- list reads as a second, tiny branch (`stories::list`); stories still under embargo are in
-- neither walk.
create index articles_live_idx on articles (published_at desc, id desc)
    where status = 'published' and (embargo_until is null or embargo_released_at is not null);
create index articles_live_outlet_idx on articles (outlet_id, published_at desc, id desc)
    where status = 'published' and (embargo_until is null or embargo_released_at is not null);
create index articles_live_section_idx on articles (section_id, published_at desc, id desc)
    where status = 'published' and (embargo_until is null or embargo_released_at is not null);
drop index articles_published_idx;
drop index articles_public_outlet_idx;
drop index articles_public_section_idx;
