# Sourced by bench/run-login-storm and bench/run-feed-usage: a partner with a key on the server
# at $base, made by admin@bench.example, and the change feed's path from the middle event of
# the database at $1.
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
post() { curl -fs -XPOST "$base$1" -H 'content-type: application/json' ${3:+-H "authorization: Bearer $3"} -d "$2"; }
# Prints a new partner's API key; $1 names the partner.
partner_key() {
  local token partner
  token=$(post /api/v1/auth/login '{"email":"admin@bench.example","password":"bench password 123"}' | json token)
  partner=$(post /api/v1/partners "{\"name\":\"$1 $(date +%s%N)\"}" "$token" | json id)
  post "/api/v1/partners/$partner/keys" '{}' "$token" | json key
}
# Prints the feed page of 20 after the middle event (by txid, id) of the database at $1.
feed_path() {
  local cursor
  cursor=$(psql "$1" -Atc "select txid::text || ' ' || id from outbox_events order by txid, id
    offset (select count(*) / 2 from outbox_events) limit 1" | python3 -c \
    'import sys,json,base64; t,i=sys.stdin.read().split(); print(base64.urlsafe_b64encode(json.dumps([int(t),i]).encode()).decode().rstrip("="))')
  echo "/syndication/v1/articles?since=$cursor&limit=20"
}
