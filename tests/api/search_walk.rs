//! Searches for common words walk the time index (`articles::search`, `walk.rs`): the answers must
//! be exactly those of the index search, for every sort, page by page, and for a member of
//! one outlet as for an admin. The seed's small vocabulary makes words such as "vaccine"
//! common enough to walk. A rare tag is found through the tags' index instead, with the same
//! answer.

use newsroom::articles::search;
use newsroom::domain::Role;
use newsroom::seed;
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::TestApp;

const QUERY: &str =
    "(websearch_to_tsquery('english', $1) || websearch_to_tsquery('simple', $1) || websearch_to_tsquery('english', $1))";

/// Every page of `path` (which has no cursor yet), the ids in order.
async fn all_pages(app: &TestApp, token: &str, path: &str) -> Vec<Uuid> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}&cursor={c}"),
            None => path.to_owned(),
        };
        let page = app.get(&url, token).await;
        page.assert_status(200);
        for item in page.body["items"].as_array().unwrap() {
            ids.push(item["id"].as_str().unwrap().parse().unwrap());
        }
        match &page.body["next"] {
            Value::String(c) => cursor = Some(c.clone()),
            _ => return ids,
        }
    }
}

/// The ids the index search answers, straight from SQL: `visible` limits to the outlets'
/// stories and every published one.
async fn expected(app: &TestApp, word: &str, order: &str, visible: Option<Uuid>) -> Vec<Uuid> {
    let mut sql = format!("select id from articles where search @@ {QUERY}");
    if visible.is_some() {
        sql.push_str(" and (outlet_id = $2 or status = 'published')");
    }
    if order == "published_at" {
        sql.push_str(" and published_at is not null");
    }
    sql.push_str(&format!(" order by {order} desc, id desc"));
    let mut q = sqlx::query_scalar(&sql).bind(word);
    if let Some(outlet) = visible {
        q = q.bind(outlet);
    }
    q.fetch_all(&app.state.db).await.unwrap()
}

/// The ranked answer: the 200 most recently updated matches, best `search_head` rank first.
async fn expected_ranked(app: &TestApp, word: &str, visible: Option<Uuid>) -> Vec<Uuid> {
    let filter = if visible.is_some() {
        " and (outlet_id = $2 or status = 'published')"
    } else {
        ""
    };
    let sql = format!(
        "select id from (select id, ts_rank_cd(search_head, {QUERY})::real as rank from articles
             where search @@ {QUERY}{filter} order by updated_at desc, id desc limit 200) c
         order by rank desc, id desc"
    );
    let mut q = sqlx::query_scalar(&sql).bind(word);
    if let Some(outlet) = visible {
        q = q.bind(outlet);
    }
    q.fetch_all(&app.state.db).await.unwrap()
}

#[actix_web::test]
async fn a_common_word_walks_the_time_index_and_finds_exactly_what_the_indexes_find() {
    let app = TestApp::spawn().await;
    seed::run(&app.state, 600, Default::default(), false)
        .await
        .unwrap();
    sqlx::query("analyze articles")
        .execute(&app.state.db)
        .await
        .unwrap();
    let db = &app.state.db;
    assert!(search::is_common(db, "vaccine", None).await.unwrap());
    assert!(!search::is_common(db, "zyxwvut", None).await.unwrap());

    let admin = app.admin().await;
    let outlet: Uuid = sqlx::query_scalar("select id from outlets order by slug limit 1")
        .fetch_one(db)
        .await
        .unwrap();
    let editor = app.user(Role::Editor, &[outlet]).await;
    for (token, visible) in [(&admin.token, None), (&editor.token, Some(outlet))] {
        for order in ["updated_at", "published_at"] {
            let want = expected(&app, "vaccine", order, visible).await;
            assert!(want.len() > 300, "the word is common: {}", want.len());
            let path = format!("/api/v1/articles?q=vaccine&sort={order}&limit=40");
            assert_eq!(
                all_pages(&app, token, &path).await,
                want,
                "{order}, {visible:?}"
            );
        }
        let ranked = all_pages(&app, token, "/api/v1/articles?q=vaccine&limit=40").await;
        assert_eq!(ranked, expected_ranked(&app, "vaccine", visible).await);
    }
}

#[actix_web::test]
async fn a_rare_tag_is_listed_through_the_tags_index_with_the_same_answer() {
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    assert!(
        search::is_common_tag(db, "flood").await.unwrap(),
        "no statistics yet: walk"
    );
    seed::run(&app.state, 300, Default::default(), false)
        .await
        .unwrap();
    let rare: Vec<Uuid> = sqlx::query_scalar(
        "update articles set tags = tags || '{rare-tag}' where id in
             (select id from articles order by id limit 3) returning id",
    )
    .fetch_all(db)
    .await
    .unwrap();
    assert_eq!(rare.len(), 3);
    // Statistics keep the most common tags, up to ten per statistics-target step; with a few
    // hundred stories every tag would be kept. A target of 1 keeps ten, as a newsroom's long
    // tail of tags leaves most of them out.
    sqlx::query("alter table articles alter column tags set statistics 1")
        .execute(db)
        .await
        .unwrap();
    sqlx::query("analyze articles").execute(db).await.unwrap();
    let common: String = sqlx::query_scalar(
        "select t from articles, unnest(tags) t group by t order by count(*) desc limit 1",
    )
    .fetch_one(db)
    .await
    .unwrap();
    assert!(search::is_common_tag(db, &common).await.unwrap());
    assert!(!search::is_common_tag(db, "rare-tag").await.unwrap());

    let admin = app.admin().await;
    for tag in [common.as_str(), "rare-tag", "no-such-tag"] {
        for order in ["updated_at", "published_at"] {
            let mut sql = "select id from articles where tags @> array[$1]".to_owned();
            if order == "published_at" {
                sql.push_str(" and published_at is not null");
            }
            sql.push_str(&format!(" order by {order} desc, id desc"));
            let want: Vec<Uuid> = sqlx::query_scalar(&sql)
                .bind(tag)
                .fetch_all(db)
                .await
                .unwrap();
            let path = format!("/api/v1/articles?tag={tag}&sort={order}&limit=25");
            assert_eq!(
                all_pages(&app, &admin.token, &path).await,
                want,
                "{tag} {order}"
            );
        }
        let sql = format!(
            "select id from articles where tags @> array[$2] and search @@ {QUERY}
             order by updated_at desc, id desc"
        );
        let want: Vec<Uuid> = sqlx::query_scalar(&sql)
            .bind("vaccine")
            .bind(tag)
            .fetch_all(db)
            .await
            .unwrap();
        let path = format!("/api/v1/articles?q=vaccine&tag={tag}&sort=updated_at&limit=25");
        assert_eq!(
            all_pages(&app, &admin.token, &path).await,
            want,
            "{tag} and a word"
        );
    }
}
