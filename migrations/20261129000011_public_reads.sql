-- Public and partner reads of published stories.
-- The unfiltered story list uses articles_published_idx (published_at desc, id desc, where
-- status = 'published'). An outlet's feed and a section's page filter on one outlet or section,
-- which may hold a small share of a million stories: these let them stop after one page
-- instead of walking the whole published index.
create index articles_public_outlet_idx on articles (outlet_id, published_at desc, id desc)
    where status = 'published';
create index articles_public_section_idx on articles (section_id, published_at desc, id desc)
    where status = 'published';
-- The sitemap counts the visible stories, finds the newest change and pages through them in
-- id order: index-only scans of this (embargo_until and updated_at are the other columns read).
create index articles_public_id_idx on articles (id) include (embargo_until, updated_at)
    where status = 'published';
