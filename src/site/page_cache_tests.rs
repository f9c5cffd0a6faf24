//! The page cache's own tests: expiry by time, write and clock; single flight; failed
//! makings; readers that go away; the byte budget; making ahead of expiry.

use std::sync::atomic::AtomicUsize;

use super::*;

fn page(text: &str) -> Page {
    Page {
        body: Bytes::copy_from_slice(text.as_bytes()),
        etag: format!("\"{text}\""),
        modified: None,
        served: Arc::from([]),
    }
}

async fn get(cache: &SiteCache, key: &str, at: DateTime<Utc>, text: &str) -> String {
    let page = cache
        .page(key, || at, async { Ok::<_, ()>(page(text)) })
        .await
        .unwrap_or_else(|()| page("failed"));
    String::from_utf8_lossy(&page.body).into_owned()
}

#[tokio::test]
async fn a_page_is_kept_until_a_write_or_the_clock_moves() {
    let cache = SiteCache::new(Duration::from_secs(60));
    let t0 = Utc::now();
    assert_eq!(get(&cache, "/a", t0, "one").await, "one");
    assert_eq!(get(&cache, "/a", t0, "two").await, "one", "kept");
    assert_eq!(get(&cache, "/b", t0, "bee").await, "bee", "by address");
    cache.forget_all();
    assert_eq!(
        get(&cache, "/a", t0, "three").await,
        "three",
        "a write empties it"
    );
    let later = t0 + chrono::Duration::seconds(61);
    assert_eq!(
        get(&cache, "/a", later, "four").await,
        "four",
        "the clock moved on"
    );
    let earlier = t0 - chrono::Duration::seconds(1);
    assert_eq!(get(&cache, "/a", earlier, "five").await, "five", "or back");
}

#[tokio::test]
async fn nothing_is_kept_longer_than_the_ttl_or_when_it_is_zero() {
    let cache = SiteCache::new(Duration::from_millis(50));
    let t0 = Utc::now();
    assert_eq!(get(&cache, "/a", t0, "one").await, "one");
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(get(&cache, "/a", t0, "two").await, "two");
    let off = SiteCache::new(Duration::ZERO);
    assert_eq!(get(&off, "/a", t0, "one").await, "one");
    assert_eq!(get(&off, "/a", t0, "two").await, "two");
}

#[tokio::test]
async fn a_failed_rendering_is_not_kept() {
    let cache = SiteCache::new(Duration::from_secs(60));
    let t0 = Utc::now();
    let failed = cache
        .page("/a", || t0, async { Err::<Page, _>("gone") })
        .await;
    assert!(failed.is_err());
    assert_eq!(get(&cache, "/a", t0, "back").await, "back");
}

#[tokio::test]
async fn readers_of_an_expired_page_wait_for_one_rendering() {
    let cache = Arc::new(SiteCache::new(Duration::from_secs(60)));
    let renders = Arc::new(AtomicUsize::new(0));
    let t0 = Utc::now();
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let (cache, renders) = (cache.clone(), renders.clone());
            tokio::spawn(async move {
                let render = async {
                    renders.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    Ok::<_, ()>(page("once"))
                };
                cache.page("/front", || t0, render).await
            })
        })
        .collect();
    for reader in readers {
        let page = reader.await.expect("joined").expect("rendered");
        assert_eq!(&page.body[..], b"once");
    }
    assert_eq!(renders.load(Ordering::SeqCst), 1);
    assert!(cache.pages.flights.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn a_reader_that_goes_away_leaves_no_flight_behind() {
    let cache = SiteCache::new(Duration::from_secs(60));
    let t0 = Utc::now();
    let never = cache.page("/slow", || t0, std::future::pending::<Result<Page, ()>>());
    let gone = tokio::time::timeout(Duration::from_millis(10), never).await;
    assert!(gone.is_err(), "the reader gave up");
    assert!(cache.pages.flights.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn after_a_failed_making_the_waiting_readers_make_their_own_side_by_side() {
    let cache = Arc::new(SiteCache::new(Duration::from_secs(60)));
    let t0 = Utc::now();
    let first = {
        let cache = cache.clone();
        tokio::spawn(async move {
            let failing = async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Err::<Page, &str>("database down")
            };
            cache.page("/", || t0, failing).await
        })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    let (inside, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let (cache, inside, most) = (cache.clone(), inside.clone(), most.clone());
            tokio::spawn(async move {
                let slow = async {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    inside.fetch_sub(1, Ordering::SeqCst);
                    Err::<Page, &str>("still down")
                };
                cache.page("/", || t0, slow).await
            })
        })
        .collect();
    assert!(first.await.expect("joined").is_err());
    for waiter in waiters {
        assert!(waiter.await.expect("joined").is_err());
    }
    assert!(
        most.load(Ordering::SeqCst) > 1,
        "they made it one after the other"
    );
}

#[tokio::test]
async fn a_page_made_across_a_write_is_served_but_not_kept() {
    let cache = Arc::new(SiteCache::new(Duration::from_secs(60)));
    let t0 = Utc::now();
    let during = {
        let cache = cache.clone();
        async move {
            cache.forget_all();
            Ok::<_, ()>(page("old"))
        }
    };
    let got = cache.page("/a", || t0, during).await.expect("made");
    assert_eq!(&got.body[..], b"old");
    assert_eq!(get(&cache, "/a", t0, "new").await, "new");
}

#[test]
fn the_oldest_pages_go_when_over_the_budget() {
    let kept: Kept<Page> = Kept::new(100);
    let ttl = Duration::from_secs(60);
    let made = Made {
        at: Instant::now(),
        clock: Utc::now(),
        generation: 0,
    };
    kept.store("/a".into(), page("a"), 60, made, ttl);
    let made_b = Made {
        at: Instant::now(),
        ..made
    };
    kept.store("/b".into(), page("b"), 60, made_b, ttl);
    let entries = kept.lock();
    assert!(!entries.by_key.contains_key("/a"), "the oldest went");
    assert!(entries.by_key.contains_key("/b"));
    assert_eq!(entries.bytes, 60);
    drop(entries);
    kept.store("/big".into(), page("big"), 101, made, ttl);
    assert!(
        !kept.lock().by_key.contains_key("/big"),
        "never one over the budget"
    );
}

/// A cache with `text` kept at "/a", made `age` ago, and its keeping time.
fn kept_since(age: Duration, text: &str) -> (SiteCache, DateTime<Utc>, Duration) {
    let cache = SiteCache::new(Duration::from_secs(20));
    let t0 = Utc::now();
    let made = Made {
        at: Instant::now()
            .checked_sub(age)
            .expect("a machine up for seconds"),
        clock: t0,
        generation: 0,
    };
    cache
        .pages
        .store("/a".into(), page(text), 10, made, cache.ttl);
    let ttl = cache.ttl;
    (cache, t0, ttl)
}

#[tokio::test]
async fn one_reader_makes_a_page_again_ahead_of_its_expiry_while_the_others_get_the_kept_one() {
    // Kept for 10 s, made 8 s ago: past three quarters of it, not expired.
    let (cache, t0, _) = kept_since(Duration::from_secs(8), "old");
    let cache = Arc::new(cache);
    let (go, wait) = tokio::sync::oneshot::channel::<()>();
    let refresher = {
        let cache = cache.clone();
        tokio::spawn(async move {
            let slow = async {
                let _ = wait.await;
                Ok::<_, ()>(page("new"))
            };
            cache.page("/a", || t0, slow).await
        })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let others = tokio::time::timeout(Duration::from_secs(1), get(&cache, "/a", t0, "mine"));
    assert_eq!(
        others.await.expect("not held up by the making"),
        "old",
        "the others get the kept page meanwhile"
    );
    let _ = go.send(());
    let made = refresher.await.expect("joined").expect("made");
    assert_eq!(&made.body[..], b"new", "the first reader past it made it");
    assert_eq!(get(&cache, "/a", t0, "mine").await, "new", "and it is kept");
}

#[tokio::test]
async fn a_page_is_not_made_ahead_before_its_time_nor_served_after_it() {
    let (young, t0, ttl) = kept_since(Duration::from_secs(1), "old");
    assert_eq!(get(&young, "/a", t0, "new").await, "old", "not due yet");
    // A making ahead that never ends (its reader went away) does not keep it past its time.
    let (due, t0, _) = kept_since(Duration::from_secs(8), "old");
    let gone = tokio::time::timeout(
        Duration::from_millis(10),
        due.page("/a", || t0, std::future::pending::<Result<Page, ()>>()),
    );
    assert!(gone.await.is_err(), "the making reader gave up");
    assert_eq!(get(&due, "/a", t0, "new").await, "old", "still good");
    let (expired, t0, _) = kept_since(ttl + Duration::from_millis(1), "old");
    assert_eq!(get(&expired, "/a", t0, "new").await, "new", "expired");
}

#[tokio::test]
async fn a_making_ahead_that_fails_drops_the_kept_page_before_its_reader_is_answered() {
    // The story was taken down: the making ahead answers a 404 (an error, never kept).
    let (cache, t0, _) = kept_since(Duration::from_secs(8), "story");
    let gone = cache
        .page("/a", || t0, async { Err::<Page, _>("404") })
        .await;
    assert_eq!(gone.unwrap_err(), "404");
    assert_eq!(
        get(&cache, "/a", t0, "made again").await,
        "made again",
        "once one reader was told it is gone, the next is not served the kept page"
    );
}
