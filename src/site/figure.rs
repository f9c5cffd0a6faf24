//! A story's featured picture as the story page shows it: the WebP widths in `srcset`, a JPEG
//! `src`, its size against layout shift, the alt text, and the caption with the credit; and
//! the absolute JPEG that `og:image`, the Twitter card and the JSON-LD `image` name. The
//! rendition choices are media's (`media::service::webp_srcset`, `jpeg_up_to`), the same as a
//! body picture's.

use serde::Serialize;

use crate::media::service::{jpeg_up_to, webp_srcset, SIZES};
use crate::public::PublicPicture;

/// The widest JPEG a sharing card names: large enough for a "summary_large_image".
const CARD_WIDTH: u32 = 1600;

#[derive(Debug, Serialize)]
pub struct Figure {
    pub src: String,
    pub srcset: String,
    pub sizes: &'static str,
    pub width: i32,
    pub height: i32,
    pub alt: String,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// Absolute, for `og:image` and the JSON-LD.
    pub image_url: Option<String>,
}

impl Figure {
    pub fn of(picture: &PublicPicture, base: &str) -> Figure {
        let r = &picture.renditions;
        Figure {
            src: jpeg_up_to(r, 1024).map_or_else(String::new, |j| j.href),
            srcset: webp_srcset(r),
            sizes: SIZES,
            width: picture.width,
            height: picture.height,
            alt: picture.alt_text.clone().unwrap_or_default(),
            caption: picture.caption.clone(),
            credit: picture.credit.clone(),
            image_url: jpeg_up_to(r, CARD_WIDTH)
                .map(|j| format!("{}{}", base.trim_end_matches('/'), j.href)),
        }
    }
}
