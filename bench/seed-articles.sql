-- Bulk demo content for the articles benchmark: 5 outlets, 6 sections, 10 authors and
-- :n articles (90% published) with 2-6 KB Markdown bodies. Words follow a Zipf-like law over
-- a 5,000-word vocabulary, as in real text, so searches match a realistic share of stories;
-- each story also has one of 60 topic words in its headline, standfirst and body.
-- Deterministic (setseed). Run with: psql -v n=100000 -f bench/seed-articles.sql

select setseed(0.42);

insert into outlets (id, slug, name, country, language, created_at, updated_at)
select gen_random_uuid(), s, initcap(replace(s, '-', ' ')), c, 'en', now(), now()
from (values ('china-daily', 'CN'), ('the-straits-times', 'SG'), ('the-daily-star', 'BD'),
             ('the-star', 'MY'), ('dawn', 'PK')) v(s, c)
on conflict do nothing;

insert into sections (id, slug, name, created_at, updated_at)
select gen_random_uuid(), s, initcap(s), now(), now()
from unnest(array['diplomacy', 'economics', 'politics', 'climate', 'technology', 'culture']) s
on conflict do nothing;

insert into authors (id, slug, name, outlet_id, created_at, updated_at)
select gen_random_uuid(), o.slug || '-desk-' || i, initcap(o.slug) || ' desk ' || i, o.id, now(), now()
from outlets o, generate_series(1, 2) i
on conflict do nothing;

create temporary table topics as
select array['monsoon', 'trade', 'ministers', 'election', 'rice', 'harbour', 'tariff', 'summit',
             'flood', 'currency', 'railway', 'parliament', 'drought', 'festival', 'startup', 'port',
             'energy', 'coal', 'solar', 'diplomat', 'treaty', 'export', 'inflation', 'budget',
             'court', 'school', 'hospital', 'cricket', 'border', 'fishermen', 'airline', 'bank',
             'cyclone', 'dengue', 'earthquake', 'fisheries', 'garment', 'highway', 'investment',
             'jute', 'kite', 'literacy', 'mangrove', 'nurses', 'orchard', 'pension', 'quota',
             'refinery', 'shipyard', 'textile', 'university', 'vaccine', 'wages', 'youth', 'zinc',
             'bridge', 'canal', 'dam', 'embassy', 'ferry'] as t;

-- Pseudo-words built from 40 syllables: word i (0-4,999) is used with a frequency that falls
-- steeply with i, like real vocabulary.
create temporary table syllables as
select array['ka', 'ran', 'to', 'mi', 'sol', 've', 'dar', 'lu', 'pen', 'ho', 'bri', 'sa',
             'tem', 'no', 'gal', 'ri', 'mon', 'de', 'fa', 'kel', 'zu', 'par', 'vin', 'ti',
             'lor', 'ne', 'ba', 'sum', 'qi', 'ro', 'hen', 'mal', 'yo', 'gre', 'tak', 'wi',
             'ul', 'ost', 'em', 'ar'] as s;

insert into articles (id, outlet_id, slug, headline, standfirst, body, body_html, section_id, tags,
                      language, status, version, created_at, updated_at, first_published_at, published_at)
select
    gen_random_uuid(),
    (select id from outlets order by slug offset (g % 5) limit 1),
    'story-' || g,
    initcap(topic) || ' ' || s[1 + (g * 7) % 40] || s[1 + g % 40] || ' and ' || s[1 + (g * 13) % 40] || s[1 + (g * 3) % 40] || ' ' || g,
    'The ' || topic || ' story of the day, number ' || g || '.',
    body,
    '<p>' || body || '</p>',
    (select id from sections order by slug offset (g % 6) limit 1),
    array[topic, topics.t[1 + (g * 7) % 60]],
    'en',
    case when g % 10 = 0 then 'draft'::article_status else 'published' end,
    1 + g % 4,
    ts.t, ts.t,
    case when g % 10 = 0 then null else ts.t end,
    case when g % 10 = 0 then null else ts.t end
from generate_series(1, :n) g, syllables, topics,
     lateral (select topics.t[1 + g % 60] as topic) tp,
     lateral (select now() - make_interval(mins => g) as t) ts,
     lateral (
         select topic || ' ' || string_agg(sentence, E'\n\n') as body
         from (select string_agg(s[1 + i % 40] || s[1 + (i / 40) % 40]
                                 || case when i >= 1600 then s[1 + (i / 1600) % 40] else '' end, ' ') || '.' as sentence
               from generate_series(1, 40 + g % 70) k, generate_series(1, 8) wd,
                    lateral (select floor(4999 * power(random(), 3))::int + 0 * wd + 0 * k + 0 * g as i) r
               group by k) sentences
     ) b;

insert into article_authors (article_id, author_id, position)
select a.id, (select id from authors order by slug offset (abs(hashtext(a.slug)) % 10) limit 1), 1
from articles a
on conflict do nothing;

analyze;
