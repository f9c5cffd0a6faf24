-- The catalogue of the alliance: member newspapers and the network-wide section taxonomy.

create table outlets (
    id uuid primary key,
    slug text not null constraint outlets_slug_key unique,
    name text not null,
    country char(2) not null,          -- ISO 3166-1 alpha-2, upper case
    language text not null,            -- BCP 47 tag of the outlet's main language
    website text,
    description text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table sections (
    id uuid primary key,
    slug text not null constraint sections_slug_key unique,
    name text not null,
    description text,
    -- restrict: a section with children cannot be deleted (the API answers 409).
    parent_id uuid references sections (id) on delete restrict,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    constraint sections_not_own_parent check (parent_id <> id)
);
create index sections_parent_id_idx on sections (parent_id);
