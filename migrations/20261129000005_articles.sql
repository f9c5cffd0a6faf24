-- Articles, their bylines, corrections and revisions; the outbox of article events; and the
-- idempotency keys of retried requests.

create type article_status as enum
    ('draft', 'in_review', 'approved', 'scheduled', 'published', 'unpublished', 'killed');

-- The text-search configuration for a BCP 47 tag; `simple` where PostgreSQL has no stemmer
-- (Chinese, Urdu, Bengali, ...). Immutable, so it can feed a stored generated column.
create function newsroom_ts_config(language text) returns regconfig
language sql immutable parallel safe as $$
    select case split_part(lower(language), '-', 1)
        when 'en' then 'english'::regconfig
        when 'ms' then 'indonesian'::regconfig
        when 'id' then 'indonesian'::regconfig
        when 'fr' then 'french'::regconfig
        when 'de' then 'german'::regconfig
        when 'es' then 'spanish'::regconfig
        when 'pt' then 'portuguese'::regconfig
        when 'it' then 'italian'::regconfig
        when 'nl' then 'dutch'::regconfig
        when 'ru' then 'russian'::regconfig
        when 'tr' then 'turkish'::regconfig
        when 'ar' then 'arabic'::regconfig
        when 'hi' then 'hindi'::regconfig
        when 'ne' then 'nepali'::regconfig
        when 'ta' then 'tamil'::regconfig
        else 'simple'::regconfig
    end
$$;

create table articles (
    id uuid primary key,
    outlet_id uuid not null references outlets (id) on delete restrict,
    slug text not null,
    headline text not null,
    standfirst text,
    body text not null default '',          -- Markdown source
    body_html text not null default '',     -- sanitised HTML rendered from body
    section_id uuid references sections (id) on delete restrict,
    tags text[] not null default '{}',
    language text not null,
    status article_status not null default 'draft',
    version integer not null default 1 check (version >= 1),
    canonical_url text,
    translation_of uuid references articles (id) on delete set null,
    -- for a story republished from another outlet: the original, credited on every copy.
    origin_outlet_id uuid references outlets (id) on delete restrict,
    origin_url text,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    first_published_at timestamptz,
    published_at timestamptz,
    scheduled_at timestamptz,
    embargo_until timestamptz,
    -- set when the embargo-lift event has been emitted (the story became visible).
    embargo_released_at timestamptz,
    search tsvector generated always as (
        setweight(to_tsvector(newsroom_ts_config(language), headline), 'A') ||
        setweight(to_tsvector(newsroom_ts_config(language), coalesce(standfirst, '')), 'B') ||
        setweight(to_tsvector(newsroom_ts_config(language), body), 'C')
    ) stored,
    constraint articles_outlet_slug_key unique (outlet_id, slug),
    constraint articles_scheduled_has_time check (status <> 'scheduled' or scheduled_at is not null)
);
create index articles_updated_idx on articles (updated_at desc, id desc);
create index articles_outlet_updated_idx on articles (outlet_id, updated_at desc, id desc);
create index articles_published_idx on articles (published_at desc, id desc) where status = 'published';
create index articles_status_updated_idx on articles (status, updated_at desc, id desc);
create index articles_section_idx on articles (section_id);
create index articles_tags_idx on articles using gin (tags);
create index articles_search_idx on articles using gin (search);
create index articles_due_idx on articles (scheduled_at) where status = 'scheduled';
create index articles_embargo_idx on articles (embargo_until)
    where status = 'published' and embargo_released_at is null and embargo_until is not null;
create index articles_translation_of_idx on articles (translation_of);

-- The byline, in order.
create table article_authors (
    article_id uuid not null references articles (id) on delete cascade,
    author_id uuid not null references authors (id) on delete restrict,
    position integer not null,
    primary key (article_id, author_id)
);
create index article_authors_author_idx on article_authors (author_id);

-- Public correction notes.
create table article_corrections (
    id uuid primary key,
    article_id uuid not null references articles (id) on delete cascade,
    note text not null,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null
);
create index article_corrections_article_idx on article_corrections (article_id, created_at);

-- A full snapshot of the editable fields at every saved change; number = the version it made.
create table article_revisions (
    article_id uuid not null references articles (id) on delete cascade,
    number integer not null,
    snapshot jsonb not null,
    actor_id uuid references users (id) on delete set null,
    actor_label text not null,
    action text not null,               -- `create`, `edit`, `restore`, or a workflow action
    note text,                          -- why: the note of a `return` or a `kill`
    created_at timestamptz not null,
    primary key (article_id, number)
);

-- Transactional outbox: article events written with the change, delivered by a worker.
create table outbox_events (
    id uuid primary key,
    event_type text not null,           -- article.published | updated | withdrawn | killed
    article_id uuid not null,
    article_version integer not null,
    occurred_at timestamptz not null,
    delivered_at timestamptz
);
create index outbox_events_pending_idx on outbox_events (id) where delivered_at is null;
create index outbox_events_article_idx on outbox_events (article_id, id);

-- Responses of requests sent with an Idempotency-Key, replayed to retries for 24 hours.
create table idempotency_keys (
    user_id uuid not null references users (id) on delete cascade,
    key text not null,
    fingerprint bytea not null,         -- SHA-256 of method, path and body
    status smallint not null,
    response jsonb not null,
    etag text,
    created_at timestamptz not null,
    primary key (user_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
