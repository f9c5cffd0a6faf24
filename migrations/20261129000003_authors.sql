-- Authors of bylines: a person or a desk, optionally of one outlet and linked to a staff user.

create table authors (
    id uuid primary key,
    slug text not null constraint authors_slug_key unique,
    name text not null,
    bio text,                          -- the "About the Author" note
    outlet_id uuid references outlets (id) on delete restrict,
    user_id uuid constraint authors_user_id_key unique references users (id) on delete set null,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create index authors_outlet_id_idx on authors (outlet_id);
