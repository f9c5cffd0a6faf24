-- An outlet's look on the reader site: its colour (`#rrggbb`, lower case; the text drawn on
-- it is computed, black or white, whichever keeps WCAG AA contrast) and its logo, a picture of
-- its own library (served from this origin like every picture; the site's policy allows
-- images of this origin only). A picture in use as a logo cannot be deleted.
alter table outlets
    add column colour text constraint outlets_colour_check check (colour ~ '^#[0-9a-f]{6}$'),
    add column logo_id uuid references media_assets (id) on delete restrict;
