//! The S3 back end against a real S3-compatible server: `.ci/run` starts one on loopback
//! (moto's server, from PyPI) and sets `NEWSROOM_TEST_S3_ENDPOINT`. Without it the test says
//! so and checks nothing else. Objects live under the configured prefix (`pictures/`).

use newsroom::config::{MediaStore, S3Settings, Secret};

use super::{hrefs, id, pictures, settled, PictureDesk};

#[actix_web::test]
async fn pictures_round_trip_through_an_s3_compatible_store() {
    let Ok(endpoint) = std::env::var("NEWSROOM_TEST_S3_ENDPOINT") else {
        eprintln!(
            "SKIPPED pictures_round_trip_through_an_s3_compatible_store: set \
             NEWSROOM_TEST_S3_ENDPOINT to an S3-compatible server (.ci/run starts one)"
        );
        return;
    };
    let bucket = format!("newsroom-test-{}", uuid::Uuid::now_v7().simple());
    let created = awc::Client::default()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .expect("the S3 server answers");
    assert!(
        created.status().is_success(),
        "create bucket: {}",
        created.status()
    );
    let settings = S3Settings {
        bucket: bucket.clone(),
        endpoint: Some(endpoint.clone()),
        region: "us-east-1".into(),
        access_key_id: Some("newsroom-test".into()),
        secret_access_key: Some(Secret::new("newsroom-test-secret")),
        path_style: true,
        prefix: Some("pictures".into()),
    };
    let desk = PictureDesk::with(|c| c.media.store = MediaStore::S3(settings)).await;
    let picture = desk
        .picture(
            &pictures::phone_photo_sized(800, 600),
            "s3.jpg",
            "image/jpeg",
        )
        .await;
    settled(&desk.app, &picture).await;
    for url in hrefs(&picture) {
        let got = desk.fetch(&url, &[]).await;
        assert_eq!(got.status, 200, "{url}");
        assert!(!got.bytes.windows(8).any(|w| w == b"SnoopCam"));
    }
    assert!(
        desk.stored_files().is_empty(),
        "nothing goes to local files"
    );
    // What the bucket holds, read back through the app's own (signed) S3 client.
    let storage = &desk.app.state.media.storage;
    let first = hrefs(&picture)[0].trim_start_matches("/media/").to_owned();
    let key = format!("renditions/{first}");
    assert!(storage.get(&key).await.expect("S3 answers").is_some());

    desk.app
        .delete(
            &format!("/api/v1/media/{}", id(&picture)),
            &desk.writer.token,
        )
        .await
        .assert_status(204);
    assert!(storage.get(&key).await.expect("S3 answers").is_none());
    assert_eq!(desk.fetch(&hrefs(&picture)[0], &[]).await.status, 404);
}
