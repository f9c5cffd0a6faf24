//! `newsroom seed --subscribers N`: confirmed subscribers with their consent ledger, once.

use newsroom::seed::subscribers::{run, Outcome, NEWSLETTER};

use super::scalar;
use crate::helpers::TestApp;

#[actix_web::test]
async fn seeded_subscribers_are_confirmed_with_a_ledger_and_a_second_run_adds_only_the_missing() {
    let app = TestApp::spawn().await;
    let now = app.clock.now();
    let first = run(&app.state.db, 300, now).await.expect("a seed");
    assert_eq!(
        first,
        Outcome {
            before: 0,
            after: 300
        }
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from subscriptions s join newsletters n on n.id = s.newsletter_id
                      where s.status = 'confirmed' and s.confirmed_at is not null"
        )
        .await,
        300
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from consent_events where action = 'subscribed'"
        )
        .await,
        300
    );
    assert_eq!(
        scalar(
            &app,
            "select count(*) from consent_events where action = 'confirmed'"
        )
        .await,
        300
    );
    assert_eq!(
        scalar(
            &app,
            &format!("select count(*) from newsletters where slug = '{NEWSLETTER}'")
        )
        .await,
        1
    );
    let again = run(&app.state.db, 500, now).await.expect("a second seed");
    assert_eq!(
        again,
        Outcome {
            before: 300,
            after: 500
        }
    );
    assert_eq!(
        scalar(&app, "select count(*) from consent_events").await,
        1000
    );
    assert_eq!(
        run(&app.state.db, 500, now).await.expect("a third"),
        Outcome {
            before: 500,
            after: 500
        }
    );
}
