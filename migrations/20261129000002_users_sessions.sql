-- Staff accounts, their outlets, sessions and login throttling.

create type user_role as enum ('admin', 'editor', 'writer');

create table users (
    id uuid primary key,
    -- stored lower-cased by the application; the check keeps uniqueness case-insensitive.
    email text not null constraint users_email_key unique constraint users_email_lower check (email = lower(email)),
    display_name text not null,
    password_hash text not null,       -- argon2id PHC string
    role user_role not null,
    active boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create table user_outlets (
    user_id uuid not null references users (id) on delete cascade,
    -- restrict: an outlet with members is in use and cannot be deleted.
    outlet_id uuid not null references outlets (id) on delete restrict,
    primary key (user_id, outlet_id)
);
create index user_outlets_outlet_id_idx on user_outlets (outlet_id);

-- Only the SHA-256 of a session token is stored; the token itself is shown once at login.
create table sessions (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    token_hash bytea not null constraint sessions_token_hash_key unique,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    user_agent text,
    ip text
);
create index sessions_user_id_idx on sessions (user_id) where revoked_at is null;

-- Login attempts per account key (the lower-cased email, known or not) in a fixed window:
-- counted before the password is checked, so a burst cannot get more than the allowed guesses.
create table login_throttles (
    email text primary key,
    attempts integer not null,
    window_started_at timestamptz not null
);
