-- What `newsroom seed --articles N` has written: one row holding how many synthetic articles
-- exist (numbers 0 to articles - 1). Each batch moves it forward in the transaction that writes
-- the batch, so it never counts rows that did not commit, and a run that stopped resumes there.
create table seed_state (
    singleton boolean primary key default true constraint seed_state_one_row check (singleton),
    articles bigint not null check (articles >= 0),
    updated_at timestamptz not null
);
