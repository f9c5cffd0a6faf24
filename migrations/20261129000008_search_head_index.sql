-- Ranked searches look up headline and standfirst matches first, through this index.
create index articles_search_head_idx on articles using gin (search_head);
