-- A CSV file an admin uploaded for import, kept between its dry run and the real run so the
-- real run imports exactly the file that was checked. `body` is emptied (null) once imported;
-- files never imported are removed a day later, when the next file is uploaded.
create table subscriber_imports (
    id uuid primary key,
    uploaded_by uuid not null references users (id) on delete cascade,
    file_name text not null,
    body bytea,
    -- Rows of the file (not counting the header), as the dry run counted them.
    rows integer not null,
    created_at timestamptz not null,
    imported_at timestamptz
);
create index subscriber_imports_created_idx on subscriber_imports (created_at);
