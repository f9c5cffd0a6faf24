//! Renditions are drawn lazily and kept: a request for one that is not stored yet draws it
//! from the master, stores it, and serves it; every later request is a plain read. A new
//! picture is warmed right after its upload (off the request path), so readers rarely wait.
//! Why lazy and not a job queue: see docs/media.md ("Renditions").
//!
//! Drawing is CPU and memory work (a 24 MP master is 72 MB of pixels), so each instance
//! draws in at most `slots` places at once; a request that cannot get a slot in time gets a
//! 503 with `Retry-After`. The drawing itself runs in a picture process (`draw_process`), in
//! a session of its own at the lowest priority, so the readers' requests go first.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::draw_process::Painter;
use super::renditions::{self, Encoding, Variant};
use super::sniff::Format;
use super::storage::Storage;
use super::{master_key, renditions_folder, store};
use crate::config::Config;
use crate::error::{AppError, Result};
use crate::state::AppState;

/// How long a request waits for a drawing slot before it is told to come back.
const SLOT_WAIT: Duration = Duration::from_secs(30);

/// The picture machinery of one instance: the store and the drawing slots.
#[derive(Debug)]
pub struct Media {
    pub storage: Storage,
    slots: Arc<Semaphore>,
    /// One warm-up at a time: each holds a decoded master while it works.
    warming: Arc<Semaphore>,
    /// Masters this instance is warming now: a request for one of their renditions waits
    /// for the warm-up instead of decoding the master a second time.
    warming_now: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Media {
    pub fn new(config: &Config) -> Media {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Media {
            storage: Storage::open(config),
            slots: Arc::new(Semaphore::new((cores / 2).max(1))),
            warming: Arc::new(Semaphore::new(1)),
            warming_now: Default::default(),
        }
    }

    fn is_warming(&self, master: &str) -> bool {
        self.warming_now
            .lock()
            .is_ok_and(|set| set.contains(master))
    }

    /// A slot for decoding or drawing a picture.
    pub(super) async fn slot(&self) -> Result<OwnedSemaphorePermit> {
        match tokio::time::timeout(SLOT_WAIT, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(AppError::Busy {
                retry_after_secs: 5,
            }),
        }
    }
}

/// What a master needs to be drawn from.
#[derive(Clone, Debug)]
pub(super) struct Source {
    pub master_sha256: String,
    pub master_format: String,
    pub width: u32,
    pub height: u32,
}

/// The bytes of rendition `file` of master `hash`, drawn first if need be; `NotFound` for a
/// name that is no rendition, a master nobody has, or a crop around a focal point no picture
/// of this master has.
pub async fn rendition(state: &AppState, hash: &str, file: &str) -> Result<(Bytes, Encoding)> {
    let variant = Variant::parse(file).ok_or(AppError::NotFound)?;
    if hash.len() != 64 || !hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(AppError::NotFound);
    }
    let key = format!("{}/{file}", renditions_folder(hash));
    let storage = &state.media.storage;
    if let Some(bytes) = storage.get(&key).await? {
        return Ok((bytes, variant.encoding));
    }
    let blob = store::blob_by_master(&state.db, hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let source = Source {
        master_sha256: blob.master_sha256,
        master_format: blob.master_format,
        width: u32::try_from(blob.width).unwrap_or(1),
        height: u32::try_from(blob.height).unwrap_or(1),
    };
    if !variant.is_offered(source.width, source.height) {
        return Err(AppError::NotFound);
    }
    if let Some((_, focal)) = variant.crop {
        let points = store::focal_points(&state.db, hash).await?;
        if !points
            .iter()
            .any(|(x, y)| renditions::focal_of(*x, *y) == focal)
        {
            return Err(AppError::NotFound);
        }
    }
    // The warm-up of this master draws it soon: wait for that rather than decode it again.
    let deadline = tokio::time::Instant::now() + SLOT_WAIT;
    while state.media.is_warming(hash) && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Some(bytes) = storage.get(&key).await? {
            return Ok((bytes, variant.encoding));
        }
    }
    let _slot = state.media.slot().await?;
    // Another request may have drawn it while this one waited for the slot.
    if let Some(bytes) = storage.get(&key).await? {
        return Ok((bytes, variant.encoding));
    }
    let bytes = draw(state, &source, variant).await?;
    Ok((Bytes::from(bytes), variant.encoding))
}

/// Draws `variants` of a master in the background, one drawing slot at a time, so a reader's
/// request for a rendition waits for one rendition at most, not for the whole set.
pub(super) fn warm(state: &AppState, source: Source, variants: Vec<Variant>) {
    let state = state.clone();
    actix_web::rt::spawn(async move {
        if let Err(err) = warm_now(&state, &source, variants).await {
            tracing::warn!(error = %err, master = %source.master_sha256, "warming renditions failed");
        }
    });
}

/// Takes a master off the "warming now" list when its warm-up ends, however it ends.
struct Warming<'a>(&'a Media, String);

impl Drop for Warming<'_> {
    fn drop(&mut self) {
        if let Ok(mut set) = self.0.warming_now.lock() {
            set.remove(&self.1);
        }
    }
}

async fn warm_now(state: &AppState, source: &Source, variants: Vec<Variant>) -> Result<()> {
    let Ok(_warming) = state.media.warming.clone().acquire_owned().await else {
        return Ok(());
    };
    if let Ok(mut set) = state.media.warming_now.lock() {
        set.insert(source.master_sha256.clone());
    }
    let _listed = Warming(&state.media, source.master_sha256.clone());
    let storage = &state.media.storage;
    let folder = renditions_folder(&source.master_sha256);
    let mut painter = {
        let _slot = state.media.slot().await?;
        painter(state, source).await?
    };
    let mut written = Vec::new();
    // One resize per shape and width, encoded in every format.
    for group in variants.chunk_by(|a, b| a.crop == b.crop && a.width == b.width) {
        // A picture deleted meanwhile needs no more renditions.
        if !store::master_in_use(&state.db, &source.master_sha256).await? {
            break;
        }
        let mut missing = Vec::new();
        for variant in group {
            let key = format!("{folder}/{}", variant.file_name());
            if storage.get(&key).await?.is_none() {
                missing.push((*variant, key));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let _slot = state.media.slot().await?;
        let wanted: Vec<Variant> = missing.iter().map(|(v, _)| *v).collect();
        let drawn = painter.draw(&wanted).await?;
        for ((_, key), bytes) in missing.into_iter().zip(drawn) {
            storage.put(&key, bytes).await?;
            written.push(key);
        }
    }
    forget_if_orphaned(state, source, &written).await
}

/// A picture process holding the master's pixels (call it holding a slot).
async fn painter(state: &AppState, source: &Source) -> Result<Painter> {
    let master_key = master_key(&source.master_sha256, &source.master_format);
    let master = state
        .media
        .storage
        .get(&master_key)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the master {master_key} is missing from the store"))?;
    let format = if source.master_format == "png" {
        Format::Png
    } else {
        Format::Jpeg
    };
    Painter::open(&state.config.media.draw_program, master, format).await
}

/// A delete may have removed the master's last picture while renditions were drawn; its file
/// clean-up may have listed the folder before they landed, so take them away again.
async fn forget_if_orphaned(state: &AppState, source: &Source, written: &[String]) -> Result<()> {
    if store::master_in_use(&state.db, &source.master_sha256).await? {
        return Ok(());
    }
    for key in written {
        state.media.storage.delete(key).await?;
    }
    Err(AppError::NotFound)
}

/// Decodes the master and draws one rendition, stores it and returns its bytes. Call it
/// holding a slot.
async fn draw(state: &AppState, source: &Source, variant: Variant) -> Result<Vec<u8>> {
    let mut drawn = painter(state, source).await?.draw(&[variant]).await?;
    let bytes = drawn
        .pop()
        .ok_or_else(|| anyhow::anyhow!("the picture process drew nothing"))?;
    let key = format!(
        "{}/{}",
        renditions_folder(&source.master_sha256),
        variant.file_name()
    );
    state.media.storage.put(&key, bytes.clone()).await?;
    forget_if_orphaned(state, source, &[key]).await?;
    Ok(bytes)
}
