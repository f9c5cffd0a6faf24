-- Each story's public JSON, made ahead (issue #19): what `GET /public/v1/outlets/{outlet}/
-- articles/{slug}` answers, without the translations (they follow other stories'
-- visibility and are read with the story). `doc` null means "to be made": the server's
-- story-doc loop makes it (`public::story_docs`), and until then the read assembles the story
-- from its tables as before. The visibility rule is never in here: the read checks it on the
-- story's own row, so a takedown needs no doc to change.
--
-- A doc is made from the story, its byline (authors), its corrections, its outlet, section
-- and credited outlet, and its featured picture. The triggers below set `doc` to null in the
-- transaction that changes any of these, whatever code path changes it, so a doc is never
-- served after its inputs changed. Each sets `doc = null` even when it is null already: the
-- new row version makes a maker that read the old inputs fail with a serialization error
-- (it works in REPEATABLE READ) instead of storing a doc made from them.
create table story_docs (
    article_id uuid primary key references articles (id) on delete cascade,
    doc text
);
create index story_docs_to_make_idx on story_docs (article_id) where doc is null;
insert into story_docs (article_id) select id from articles;

create function story_docs_forget(ids uuid[]) returns void language sql as $$
    update story_docs set doc = null where article_id = any(ids)
$$;

create function story_docs_of_article() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into story_docs (article_id) values (new.id);
    else
        perform story_docs_forget(array[new.id]);
    end if;
    return null;
end $$;
create trigger story_docs_of_article after insert or update on articles
    for each row execute function story_docs_of_article();

-- Bylines and corrections: the story they belong to (both ends of a move).
create function story_docs_of_part() returns trigger language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform story_docs_forget(array[old.article_id]);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform story_docs_forget(array[new.article_id]);
    end if;
    return null;
end $$;
create trigger story_docs_of_byline after insert or update or delete on article_authors
    for each row execute function story_docs_of_part();
create trigger story_docs_of_correction after insert or update or delete on article_corrections
    for each row execute function story_docs_of_part();

create function story_docs_of_author() returns trigger language plpgsql as $$
begin
    perform story_docs_forget(array(select article_id from article_authors where author_id = new.id));
    return null;
end $$;
create trigger story_docs_of_author after update on authors
    for each row execute function story_docs_of_author();

create function story_docs_of_outlet() returns trigger language plpgsql as $$
begin
    perform story_docs_forget(array(
        select id from articles where outlet_id = new.id or origin_outlet_id = new.id));
    return null;
end $$;
create trigger story_docs_of_outlet after update on outlets
    for each row execute function story_docs_of_outlet();

create function story_docs_of_section() returns trigger language plpgsql as $$
begin
    perform story_docs_forget(array(select id from articles where section_id = new.id));
    return null;
end $$;
create trigger story_docs_of_section after update on sections
    for each row execute function story_docs_of_section();

create function story_docs_of_picture() returns trigger language plpgsql as $$
begin
    perform story_docs_forget(array(select id from articles where featured_media_id = new.id));
    return null;
end $$;
create trigger story_docs_of_picture after update on media_assets
    for each row execute function story_docs_of_picture();

create function story_docs_of_blob() returns trigger language plpgsql as $$
begin
    perform story_docs_forget(array(
        select a.id from articles a join media_assets m on m.id = a.featured_media_id
        where m.blob_id = new.id));
    return null;
end $$;
create trigger story_docs_of_blob after update on media_blobs
    for each row execute function story_docs_of_blob();
