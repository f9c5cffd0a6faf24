"""An editor's and a partner's flow through a client generated from newsroom's OpenAPI
document (openapi-python-client), calling the generated functions only: no hand-written
request, no dict where the client has a model. Run by scripts/client-check against a
server seeded with `serve --demo`; exits non-zero at the first thing that does not hold.

Usage: python3 client_flows.py BASE_URL   (the generated package `newsroom_client` importable)
"""

import io
import sys
import time
import uuid

from newsroom_client import AuthenticatedClient, Client
from newsroom_client.api.articles import articles_act, articles_create, articles_read, articles_update
from newsroom_client.api.auth import auth_login
from newsroom_client.api.catalogue import authors_read, outlets_read, sections_read
from newsroom_client.api.newsletters import subscribers_import
from newsroom_client.api.operations import health_ready
from newsroom_client.api.partners import partners_create, partners_create_key, partners_keys
from newsroom_client.api.syndication import syndication_atom_feed, syndication_feed, syndication_story
from newsroom_client.models import (
    Action,
    ActionBody,
    ArticleView,
    Check,
    CreateArticle,
    CreateKey,
    CreatePartner,
    CreatedPartner,
    EventType,
    FeedPage,
    ImportReport,
    LoginRequest,
    LoginResponse,
    NewApiKey,
    Ninjs,
    Outcome,
    PageApiKeyInfo,
    Problem,
    PubStatus,
    Ready,
    Status,
    UpdateArticle,
)
from newsroom_client.types import UNSET, File


def check(condition, what):
    if not condition:
        raise SystemExit(f"client flow failed: {what}")
    print(f"  ok  {what}")


def sign_in(base, email, password):
    answer = auth_login.sync(client=Client(base_url=base), body=LoginRequest(email=email, password=password))
    check(isinstance(answer, LoginResponse), f"{email} signs in")
    return AuthenticatedClient(base_url=base, token=answer.token)


def act(client, story, action, version, body=UNSET):
    """A workflow action with If-Match; answers the article and its new ETag."""
    res = articles_act.sync_detailed(story, action, client=client, if_match=f'"{version}"', body=body)
    check(isinstance(res.parsed, ArticleView), f"{action} answers the article (HTTP {res.status_code})")
    return res.parsed, res.headers["etag"]


def editor_flow(base):
    print("editor: sign in, create, edit with If-Match, submit, approve, publish")
    editor = sign_in(base, "editor@newsroom.example", "newsroom-editor-demo")
    outlet = outlets_read.sync("the-straits-times", client=editor)
    section = sections_read.sync("economics", client=editor)
    author = authors_read.sync("tan-wei-ming", client=editor)
    created = articles_create.sync_detailed(
        client=editor,
        body=CreateArticle(
            outlet_id=outlet.id,
            headline=f"Singapore dollar firms as exports recover {uuid.uuid4().hex[:6]}",
            body="Electronics shipments rose for a fourth month.",
            section_id=section.id,
            author_ids=[author.id],
            tags=["Currency"],
        ),
    )
    story = created.parsed
    check(isinstance(story, ArticleView) and story.status == Status.DRAFT, "a draft is created")
    check(created.headers["etag"] == '"1"', "its ETag is its version")
    check(story.standfirst is None and story.published_at is None, "empty fields come as null")

    edited = articles_update.sync(
        story.id, client=editor, if_match='"1"', body=UpdateArticle(standfirst="The currency rose for a third week.")
    )
    check(isinstance(edited, ArticleView) and edited.version == 2, "an edit with If-Match saves version 2")
    stale = articles_update.sync_detailed(story.id, client=editor, if_match='"1"', body=UpdateArticle(standfirst="Lost"))
    check(stale.status_code == 412 and isinstance(stale.parsed, Problem), "a stale If-Match is a 412 problem")

    view, _ = act(editor, story.id, Action.SUBMIT, 2)
    check(view.status == Status.IN_REVIEW, "submitted, with no body")
    view, _ = act(editor, story.id, Action.APPROVE, 3)
    check(Action.PUBLISH in view.allowed_actions, "allowed_actions are typed actions")
    view, etag = act(editor, story.id, Action.PUBLISH, 4)
    check(view.status == Status.PUBLISHED and etag == '"5"', "published at version 5")
    refused = articles_act.sync_detailed(story.id, Action.RETURN, client=editor, if_match='"5"', body=ActionBody(note="x"))
    check(
        refused.status_code == 409 and Action.UNPUBLISH in refused.parsed.allowed_actions,
        "a refused transition lists the allowed actions",
    )
    again = articles_read.sync(story.id, client=editor)
    check(again.version == 5 and again.first_published_at is not None, "read back published")
    return editor, story.id


def poll_feed(wire, since, uri, event):
    """Polls the change feed from `since` until `uri` has `event`: an event shows once every
    transaction older than its own has ended (docs/syndication.md), so not always at once."""
    deadline = time.monotonic() + 15
    while True:
        page = syndication_feed.sync(client=wire, since=since, limit=100)
        if not isinstance(page, FeedPage):
            raise SystemExit(f"client flow failed: the change feed answered {page!r}")
        mine = [i for i in page.items if i.story.uri == uri and i.event == event]
        if mine or time.monotonic() > deadline:
            return page, mine
        time.sleep(0.2)


def partner_flow(base, editor, story_id):
    print("partner: key, feed, one story, takedown seen as a tombstone")
    admin = sign_in(base, "admin@newsroom.example", "newsroom-admin-demo")
    partner = partners_create.sync(client=admin, body=CreatePartner(name=f"Asia Wire {uuid.uuid4().hex[:6]}"))
    check(isinstance(partner, CreatedPartner) and partner.webhook_secret, "a partner is created with its secret")
    new_key = partners_create_key.sync(partner.id, client=admin, body=CreateKey())
    check(isinstance(new_key, NewApiKey) and new_key.key.startswith("nr_"), "a key is shown once")
    keys = partners_keys.sync(partner.id, client=admin, limit=10)
    check(isinstance(keys, PageApiKeyInfo) and len(keys.items) == 1 and keys.next_ is None, "the keys list is a page")

    wire = AuthenticatedClient(base_url=base, token=new_key.key)
    uri = f"urn:newsroom:article:{story_id}"
    feed, mine = poll_feed(wire, UNSET, uri, EventType.ARTICLE_PUBLISHED)
    check(mine and mine[-1].story.pubstatus == PubStatus.USABLE, "the new story is in the feed, usable")
    check(
        any(i.story.pubstatus == PubStatus.CANCELED for i in feed.items),
        "the demo's killed story is a tombstone",
    )
    story = syndication_story.sync(story_id, client=wire)
    check(isinstance(story, Ninjs) and story.body_html and story.headline, "one story, whole")
    atom = syndication_atom_feed.sync("the-straits-times", client=wire)
    check(isinstance(atom, str) and "<feed" in atom, "the Atom feed comes as text")

    editor_view = articles_read.sync(story_id, client=editor)
    act(editor, story_id, Action.UNPUBLISH, editor_view.version)
    _, taken_down = poll_feed(wire, feed.next_, uri, EventType.ARTICLE_WITHDRAWN)
    check(
        taken_down
        and taken_down[-1].story.pubstatus == PubStatus.WITHHELD
        and taken_down[-1].story.body_html is UNSET,
        "the takedown comes as a tombstone, without a body",
    )
    gone = syndication_story.sync_detailed(story_id, client=wire)
    check(gone.status_code == 404 and isinstance(gone.parsed, Problem), "the story itself is gone: 404")

    csv = b"email,newsletter\nimported@example.org,eastern-briefings\nnot-an-address,eastern-briefings\n"
    report = subscribers_import.sync(client=admin, body=File(payload=io.BytesIO(csv), mime_type="text/csv"))
    check(
        isinstance(report, ImportReport)
        and [r.outcome for r in report.rows] == [Outcome.PENDING, Outcome.REJECTED],
        "a CSV import answers a typed report",
    )


def main():
    base = sys.argv[1]
    ready = health_ready.sync(client=Client(base_url=base))
    check(isinstance(ready, Ready) and ready.database == Check.OK, "the server is ready")
    editor, story_id = editor_flow(base)
    partner_flow(base, editor, story_id)
    print("client flows passed")


if __name__ == "__main__":
    main()
