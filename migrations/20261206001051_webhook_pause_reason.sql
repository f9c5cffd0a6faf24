-- Pausing a partner's webhooks by hand: an admin pauses with a reason ("paused by <email>",
-- or one they typed). The pause itself is still `partners.webhooks_paused_at`, the one column
-- the delivery worker honours; this column only says why. Null while paused means the worker
-- paused it after failures in a row. A resume clears both.
alter table partners add column webhooks_pause_reason text;
