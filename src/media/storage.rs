//! Where masters and renditions live: one interface (`object_store`'s `ObjectStore`) with two
//! back ends, local files under `<NEWSROOM_DATA_DIR>/media` or an S3-compatible bucket. The
//! rest of the room only sees `Storage`: put, get, delete by key.

use std::sync::Arc;

use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use crate::config::{Config, MediaStore, S3Settings};
use crate::error::{AppError, Result};

/// The picture store of this instance.
#[derive(Clone, Debug)]
pub struct Storage {
    /// A store that could not be opened keeps its reason, so `AppState::new` stays
    /// infallible and `newsroom serve` still refuses to start (`check`).
    inner: std::result::Result<Arc<dyn ObjectStore>, Arc<str>>,
    prefix: Option<String>,
}

impl Storage {
    /// Opens the store the settings name; the local folder is created when missing.
    pub fn open(config: &Config) -> Storage {
        let (inner, prefix) = match &config.media.store {
            MediaStore::Local => (local(&config.data_dir.join("media")), None),
            MediaStore::S3(s3) => (bucket(s3), s3.prefix.clone()),
        };
        Storage {
            inner: inner.map_err(|e| Arc::from(format!("{e:#}"))),
            prefix: prefix.filter(|p| !p.is_empty()),
        }
    }

    /// Fails with the reason the store could not be opened (`newsroom serve` checks at start).
    pub fn check(&self) -> anyhow::Result<()> {
        match &self.inner {
            Ok(_) => Ok(()),
            Err(reason) => anyhow::bail!("the picture store cannot be opened: {reason}"),
        }
    }

    fn store(&self) -> Result<&Arc<dyn ObjectStore>> {
        self.inner.as_ref().map_err(|reason| {
            anyhow::anyhow!("the picture store cannot be opened: {reason}").into()
        })
    }

    fn path(&self, key: &str) -> Path {
        match &self.prefix {
            Some(prefix) => Path::from(format!("{prefix}/{key}")),
            None => Path::from(key),
        }
    }

    /// Writes `bytes` at `key`, replacing what was there (keys are content-addressed, so a
    /// second writer writes the same bytes).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.store()?
            .put(&self.path(key), PutPayload::from(bytes))
            .await
            .map_err(|e| unavailable("write", key, e))?;
        Ok(())
    }

    /// The bytes at `key`, or `None` when nothing is stored there.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>> {
        let store = self.store()?;
        match store.get(&self.path(key)).await {
            Ok(found) => Ok(Some(
                found
                    .bytes()
                    .await
                    .map_err(|e| unavailable("read", key, e))?,
            )),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(unavailable("read", key, e)),
        }
    }

    /// Removes `key`; a key already gone is fine.
    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.store()?.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(unavailable("delete", key, e)),
        }
    }

    /// Every key under `prefix` (`renditions/<hash>/`), to delete a blob's renditions.
    pub async fn keys_under(&self, prefix: &str) -> Result<Vec<String>> {
        use futures_util::TryStreamExt;
        let store = self.store()?;
        let listed: Vec<object_store::ObjectMeta> = store
            .list(Some(&self.path(prefix)))
            .try_collect()
            .await
            .map_err(|e| unavailable("list", prefix, e))?;
        let strip = self.prefix.as_ref().map(|p| format!("{p}/"));
        Ok(listed
            .into_iter()
            .map(|meta| {
                let key = meta.location.to_string();
                match &strip {
                    Some(p) => key.strip_prefix(p.as_str()).unwrap_or(&key).to_owned(),
                    None => key,
                }
            })
            .collect())
    }
}

/// A store that fails is the operator's problem, not the client's: logged, answered 503.
fn unavailable(doing: &str, key: &str, err: object_store::Error) -> AppError {
    tracing::warn!(error = %err, key, "picture store: cannot {doing}");
    AppError::Unavailable
}

fn local(dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
}

fn bucket(s3: &S3Settings) -> anyhow::Result<Arc<dyn ObjectStore>> {
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_virtual_hosted_style_request(!s3.path_style);
    if let Some(endpoint) = &s3.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if let Some(id) = &s3.access_key_id {
        builder = builder.with_access_key_id(id);
    }
    if let Some(secret) = &s3.secret_access_key {
        builder = builder.with_secret_access_key(secret.expose());
    }
    Ok(Arc::new(builder.build()?))
}
