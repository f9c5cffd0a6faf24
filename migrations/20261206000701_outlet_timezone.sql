-- The time zone an outlet works in: an IANA name PostgreSQL knows (checked against
-- pg_timezone_names when set through the API). The desk shows and takes schedule and embargo
-- times in it; they are stored in UTC like every other time.
alter table outlets add column timezone text not null default 'UTC';
