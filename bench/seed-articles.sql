-- Bulk demo content for the articles benchmark: 5 outlets, 6 sections, 10 authors and
-- :n articles (about 90% published) with 2-6 KB Markdown bodies, in one statement each.
-- Run with: psql -v n=100000 -f bench/seed-articles.sql

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

create temporary table words as
select array['monsoon', 'trade', 'ministers', 'election', 'rice', 'harbour', 'tariff', 'summit',
             'flood', 'currency', 'railway', 'parliament', 'drought', 'festival', 'startup', 'port',
             'energy', 'coal', 'solar', 'diplomat', 'treaty', 'export', 'inflation', 'budget',
             'court', 'school', 'hospital', 'cricket', 'border', 'fishermen'] as w;

insert into articles (id, outlet_id, slug, headline, standfirst, body, body_html, section_id, tags,
                      language, status, version, created_at, updated_at, first_published_at, published_at)
select
    gen_random_uuid(),
    (select id from outlets order by slug offset (g % 5) limit 1),
    'story-' || g,
    initcap(w[1 + g % 30]) || ' ' || w[1 + (g * 7) % 30] || ' and ' || w[1 + (g * 13) % 30] || ' ' || g,
    'The ' || w[1 + (g * 3) % 30] || ' story of the day, number ' || g || '.',
    body,
    '<p>' || body || '</p>',
    (select id from sections order by slug offset (g % 6) limit 1),
    array[w[1 + g % 30], w[1 + (g * 5) % 30]],
    'en',
    case when g % 10 = 0 then 'draft'::article_status else 'published' end,
    1 + g % 4,
    t, t,
    case when g % 10 = 0 then null else t end,
    case when g % 10 = 0 then null else t end
from generate_series(1, :n) g, words,
     lateral (select now() - make_interval(mins => g) as t) ts,
     lateral (select string_agg(w[1 + ((g * k) % 30)] || ' ' || w[1 + ((g + k) % 30)] || ' reported in paragraph ' || k || '.', E'\n\n')
              as body from generate_series(1, 40 + g % 80) k) b;

insert into article_authors (article_id, author_id, position)
select a.id, (select id from authors order by slug offset (abs(hashtext(a.slug)) % 10) limit 1), 1
from articles a
on conflict do nothing;

analyze;
