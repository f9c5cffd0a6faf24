-- Login throttling counts per account, per account and address, and per address (issue
-- #13: one counter per account let a stranger lock anyone out, and none per address let one
-- address try every account). A counter is named by its `key`: `account:<email>`,
-- `pair:<email> <address>`, `address:<address>` (an IPv6 address by its /64).
-- The rows are short-lived state (15-minute windows), so the old per-email ones are dropped.
delete from login_throttles;
alter table login_throttles rename column email to key;
-- The jobs loop deletes counters whose window is over.
create index login_throttles_window_started_at_idx on login_throttles (window_started_at);
