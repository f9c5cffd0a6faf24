-- Pictures on stories: the featured picture of an article. Body pictures are references in
-- the Markdown (`![alt](media:<id>)`); media_uses (role featured or body) lists both, kept in
-- step with every save, so a picture a story uses cannot be deleted.
alter table articles
    add column featured_media_id uuid references media_assets (id) on delete restrict;
-- Restrict-deletes of a picture look its stories up through media_uses, not this column;
-- the index serves the foreign key's own check.
create index articles_featured_media_idx on articles (featured_media_id)
    where featured_media_id is not null;
