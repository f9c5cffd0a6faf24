-- Pictures. A blob is one distinct upload (by the SHA-256 of its bytes) turned into a
-- metadata-free master; an asset is an outlet's picture: the blob plus the newsroom's fields.
-- Two outlets uploading the same photo share the blob and keep their own captions.

create table media_blobs (
    id uuid primary key,
    upload_sha256 text not null constraint media_blobs_upload_sha256_key unique,
    -- Names the master and every rendition (`/media/<master_sha256>/...`): content-addressed.
    master_sha256 text not null,
    source_format text not null check (source_format in ('jpeg', 'png', 'webp', 'gif')),
    master_format text not null check (master_format in ('jpeg', 'png')),
    width integer not null check (width > 0),      -- after the EXIF orientation is applied
    height integer not null check (height > 0),
    has_alpha boolean not null,
    master_bytes bigint not null,
    -- What the file said about itself (caption, credit, capture time ...), never location or
    -- device data: copied into each new asset of the blob.
    embedded jsonb not null default '{}',
    created_at timestamptz not null
);
create index media_blobs_master_sha256_idx on media_blobs (master_sha256);

create table media_assets (
    id uuid primary key,
    outlet_id uuid not null references outlets (id) on delete restrict,
    blob_id uuid not null references media_blobs (id) on delete restrict,
    filename text not null,
    caption text,
    credit text,
    copyright_notice text,
    usage_terms text,
    alt_text text,
    captured_at timestamptz,
    -- Where crops centre, as fractions of the width and height (0.5, 0.5 is the middle).
    focal_x double precision not null default 0.5 check (focal_x between 0 and 1),
    focal_y double precision not null default 0.5 check (focal_y between 0 and 1),
    version integer not null default 1,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    -- The same bytes uploaded twice to one outlet are one picture.
    constraint media_assets_outlet_blob_key unique (outlet_id, blob_id)
);
create index media_assets_outlet_idx on media_assets (outlet_id, id desc);
create index media_assets_blob_idx on media_assets (blob_id);
-- The library's search (caption, credit, file name) is a case-insensitive substring match
-- within the caller's outlets, walked newest first on media_assets_outlet_idx: no trigram
-- index, so the schema needs no extension.

-- Which stories use which picture (featured or in the body). The articles room fills it; a
-- picture with a row here cannot be deleted (the 409 names the stories).
create table media_uses (
    media_id uuid not null references media_assets (id) on delete restrict,
    article_id uuid not null references articles (id) on delete cascade,
    role text not null check (role in ('featured', 'body')),
    primary key (media_id, article_id, role)
);
create index media_uses_article_idx on media_uses (article_id);
