-- What `newsroom seed --articles N` has written: one row per committed batch, the synthetic
-- articles numbered `first_article` to `first_article + articles - 1`. A batch's row is written
-- in the transaction that writes its stories, so the rows never count stories that did not
-- commit. Several writers commit batches concurrently, so the batches written need not form a
-- prefix: a run that stopped resumes by writing the missing numbers.
create table seed_batches (
    first_article bigint primary key check (first_article >= 0),
    articles integer not null check (articles > 0),
    written_at timestamptz not null
);
