-- Story docs read with less work (issue #19), two changes measured with pgbench on the read's
-- own statement (100,000 stories, 20,000 read at random; docs of 4-7 kB, 2-3 kB compressed):
--
-- 1. `storage main`: a compressed doc stays in its row instead of moving to the TOAST table,
--    which cost every read a second index lookup and two more pages (+9 % for the statement).
-- 2. `translated`: whether any story was linked to this one through `translation_of`, either
--    way, when its doc was made. The read then looks its translations up only when there can
--    be some; a subquery that found nothing still cost about a sixth of the read.
--    It can only be wrong in the safe direction: a link made or removed forgets the doc of
--    the story it points to (below), so the read goes back to the tables until the doc and
--    this flag are made again in one REPEATABLE READ snapshot; a deleted draft that linked
--    to it leaves it true (one lookup that finds nothing).
--
-- Every doc is forgotten here (its flag set, as above), so that each is made again in its row
-- and with its flag: about 30 s of the story-doc loop per 100,000 stories, which are read from
-- their tables meanwhile. The update holds each row's lock until this migration commits, so
-- writes to stories wait for it: 3 s per 100,000 stories (docs/operations.md).
alter table story_docs alter column doc set storage main;
alter table story_docs add column translated boolean not null default true;

-- Forgetting a doc also sets its flag, so that a doc made again by an instance of the version
-- before this one (its maker does not know the flag) is never read without its translations.
create or replace function story_docs_forget(ids uuid[]) returns void language sql as $$
    update story_docs set doc = null, translated = true where article_id = any(ids)
$$;

create or replace function story_docs_of_article() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into story_docs (article_id) values (new.id);
        if new.translation_of is not null then
            perform story_docs_forget(array[new.translation_of]);
        end if;
    else
        perform story_docs_forget(array[new.id]);
        if new.translation_of is distinct from old.translation_of then
            perform story_docs_forget(array_remove(array[old.translation_of, new.translation_of], null));
        end if;
    end if;
    return null;
end $$;

update story_docs set doc = null, translated = true where doc is not null;
