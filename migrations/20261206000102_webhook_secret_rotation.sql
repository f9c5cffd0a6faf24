-- Webhook secret rotation (issue #13): after a rotation the previous secret still signs
-- (a second `v1=` in the signature header) until `previous_webhook_secret_until`, so a
-- partner can switch its receiver to the new secret without missing a delivery.
alter table partners
    add column previous_webhook_secret text,
    add column previous_webhook_secret_until timestamptz;
