//! The fixed set of renditions, their file names, and how one is drawn from a master. Pure:
//! no I/O. A rendition's name says everything that decides its bytes (shape, width, focal
//! point, format), and the master's hash names the folder, so `/media/<hash>/<name>` is
//! content-addressed: one URL, one set of bytes, forever.

use serde::Serialize;
use utoipa::ToSchema;

use super::pixels::{Crop, Pixels};
use crate::error::Result;

/// Widths of the whole picture (never wider than the master).
pub const WIDTHS: [u32; 5] = [320, 640, 1024, 1600, 2400];
/// Widths of the fixed-ratio crops.
pub const CROP_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];
/// Encoder qualities: WebP 80 and JPEG 82 look alike at about 25% fewer WebP bytes.
const WEBP_QUALITY: f32 = 80.0;
const JPEG_QUALITY: u8 = 82;

/// A fixed aspect ratio for crops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ratio {
    /// 16:9, for leads and cards.
    Wide,
    /// 1:1, for thumbnails.
    Square,
}

impl Ratio {
    pub const ALL: [Ratio; 2] = [Ratio::Wide, Ratio::Square];

    fn name(self) -> &'static str {
        match self {
            Ratio::Wide => "16x9",
            Ratio::Square => "1x1",
        }
    }

    fn value(self) -> f64 {
        match self {
            Ratio::Wide => 16.0 / 9.0,
            Ratio::Square => 1.0,
        }
    }
}

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Webp,
    Jpeg,
}

impl Encoding {
    pub const ALL: [Encoding; 2] = [Encoding::Webp, Encoding::Jpeg];

    fn extension(self) -> &'static str {
        match self {
            Encoding::Webp => "webp",
            Encoding::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Encoding::Webp => "image/webp",
            Encoding::Jpeg => "image/jpeg",
        }
    }
}

/// A focal point in ten-thousandths of the width and height: what a URL carries.
pub type Focal = (u16, u16);

/// The focal point of fractions in 0..=1, as a URL writes it.
pub fn focal_of(x: f64, y: f64) -> Focal {
    let part = |v: f64| (v.clamp(0.0, 1.0) * 10_000.0).round() as u16;
    (part(x), part(y))
}

/// One rendition: the whole picture or a crop around a focal point, at a width, in a format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    pub crop: Option<(Ratio, Focal)>,
    pub width: u32,
    pub encoding: Encoding,
}

/// A rendition as the API lists it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Rendition {
    /// `original` for the whole picture, `16x9` or `1x1` for a crop.
    pub shape: &'static str,
    pub href: String,
    pub width: u32,
    pub height: u32,
    pub mimetype: &'static str,
}

impl Variant {
    /// `w640.webp`, or `16x9-w640-f5000-3000.jpg` for a crop.
    pub fn file_name(&self) -> String {
        let ext = self.encoding.extension();
        match self.crop {
            None => format!("w{}.{ext}", self.width),
            Some((ratio, (x, y))) => format!("{}-w{}-f{x}-{y}.{ext}", ratio.name(), self.width),
        }
    }

    /// The inverse of `file_name`; anything else is no rendition.
    pub fn parse(name: &str) -> Option<Variant> {
        let (stem, ext) = name.rsplit_once('.')?;
        let encoding = Encoding::ALL.into_iter().find(|e| e.extension() == ext)?;
        let number = |text: &str| -> Option<u32> {
            (!text.starts_with('0') && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
        };
        let focal_part = |text: &str| -> Option<u16> {
            let value = if text == "0" { Some(0) } else { number(text) }?;
            u16::try_from(value).ok().filter(|v| *v <= 10_000)
        };
        let parts: Vec<&str> = stem.split('-').collect();
        let variant = match parts.as_slice() {
            [width] => Variant {
                crop: None,
                width: number(width.strip_prefix('w')?)?,
                encoding,
            },
            [ratio, width, x, y] => Variant {
                crop: Some((
                    Ratio::ALL.into_iter().find(|r| r.name() == *ratio)?,
                    (focal_part(x.strip_prefix('f')?)?, focal_part(y)?),
                )),
                width: number(width.strip_prefix('w')?)?,
                encoding,
            },
            _ => return None,
        };
        Some(variant)
    }

    /// Whether this width is one the set offers for a `width` × `height` master.
    pub fn is_offered(&self, width: u32, height: u32) -> bool {
        match self.crop {
            None => offered(&WIDTHS, width).contains(&self.width),
            Some((ratio, focal)) => {
                let crop = crop_of(width, height, ratio, focal);
                offered(&CROP_WIDTHS, crop.width.round() as u32).contains(&self.width)
            }
        }
    }

    /// The size of this rendition of a `width` × `height` master.
    pub fn size(&self, width: u32, height: u32) -> (u32, u32) {
        let (cw, ch) = match self.crop {
            None => (f64::from(width), f64::from(height)),
            Some((ratio, focal)) => {
                let c = crop_of(width, height, ratio, focal);
                (c.width, c.height)
            }
        };
        let h = (f64::from(self.width) * ch / cw).round().max(1.0) as u32;
        (self.width, h)
    }

    /// Draws this rendition from the master's pixels.
    pub fn render(&self, master: &Pixels) -> Result<Vec<u8>> {
        self.encode(&self.resize(master)?)
    }

    /// The master cropped and scaled to this rendition's size.
    fn resize(&self, master: &Pixels) -> Result<Pixels> {
        let (width, height) = self.size(master.width(), master.height());
        let crop = match self.crop {
            None => master.whole(),
            Some((ratio, focal)) => crop_of(master.width(), master.height(), ratio, focal),
        };
        master.resized(crop, width, height)
    }

    fn encode(&self, small: &Pixels) -> Result<Vec<u8>> {
        match self.encoding {
            Encoding::Webp => small.webp(WEBP_QUALITY),
            Encoding::Jpeg => small.jpeg(JPEG_QUALITY),
        }
    }
}

/// Draws renditions that share a shape and width (the formats of one size) with one resize:
/// the same bytes as drawing each alone.
pub fn render_group(master: &Pixels, group: &[Variant]) -> Result<Vec<Vec<u8>>> {
    let Some(first) = group.first() else {
        return Ok(Vec::new());
    };
    let small = first.resize(master)?;
    group.iter().map(|v| v.encode(&small)).collect()
}

/// The widths of `set` below `full`, and `full` itself capped at the set's largest: a
/// picture is never upscaled, and its full size (up to the cap) is always on offer.
pub fn offered(set: &[u32], full: u32) -> Vec<u32> {
    let cap = set.last().copied().unwrap_or(full);
    let mut widths: Vec<u32> = set.iter().copied().filter(|w| *w < full).collect();
    let top = full.min(cap).max(1);
    if !widths.contains(&top) {
        widths.push(top);
    }
    widths
}

/// The largest `ratio` rectangle inside the picture, centred on the focal point as far as the
/// edges allow.
pub fn crop_of(width: u32, height: u32, ratio: Ratio, (fx, fy): Focal) -> Crop {
    let (w, h) = (f64::from(width), f64::from(height));
    let (cw, ch) = if w / h > ratio.value() {
        ((h * ratio.value()).round().min(w), h)
    } else {
        (w, (w / ratio.value()).round().min(h))
    };
    let centre = |f: u16, full: f64, size: f64| {
        (f64::from(f) / 10_000.0 * full - size / 2.0)
            .clamp(0.0, full - size)
            .round()
    };
    Crop {
        left: centre(fx, w, cw),
        top: centre(fy, h, ch),
        width: cw,
        height: ch,
    }
}

/// Every rendition of a `width` × `height` master with crops around `focal`: what a new
/// picture is warmed with, and what the API lists.
pub fn all(width: u32, height: u32, focal: Focal) -> Vec<Variant> {
    let mut out = Vec::new();
    for w in offered(&WIDTHS, width) {
        for encoding in Encoding::ALL {
            out.push(Variant {
                crop: None,
                width: w,
                encoding,
            });
        }
    }
    for ratio in Ratio::ALL {
        let crop = crop_of(width, height, ratio, focal);
        for w in offered(&CROP_WIDTHS, crop.width.round() as u32) {
            for encoding in Encoding::ALL {
                out.push(Variant {
                    crop: Some((ratio, focal)),
                    width: w,
                    encoding,
                });
            }
        }
    }
    out
}

/// The API's description of `variant` of the master `hash` (`width` × `height`).
pub fn describe(variant: &Variant, hash: &str, width: u32, height: u32) -> Rendition {
    let (w, h) = variant.size(width, height);
    Rendition {
        shape: variant.crop.map_or("original", |(r, _)| r.name()),
        href: format!("/media/{hash}/{}", variant.file_name()),
        width: w,
        height: h,
        mimetype: variant.encoding.mime(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for v in all(6000, 4000, (2500, 7000)) {
            assert_eq!(Variant::parse(&v.file_name()), Some(v));
        }
        for bad in [
            "w640.png",
            "w0640.jpg",
            "w.jpg",
            "w640",
            "16x9-w640-f5000.jpg",
            "4x3-w640-f1-1.jpg",
            "16x9-w640-f10001-0.jpg",
            "../w640.jpg",
            "w640.jpg.jpg",
        ] {
            assert_eq!(Variant::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_group_draws_the_same_bytes_as_each_alone() {
        let image =
            image::RgbImage::from_fn(90, 60, |x, y| image::Rgb([x as u8 * 2, y as u8 * 3, 7]));
        let master = Pixels::from_image(image.into());
        let group: Vec<Variant> = all(90, 60, (5000, 5000))
            .into_iter()
            .filter(|v| v.crop.is_none())
            .collect();
        let together = render_group(&master, &group).unwrap();
        let alone: Vec<Vec<u8>> = group.iter().map(|v| v.render(&master).unwrap()).collect();
        assert_eq!(together, alone);
    }

    #[test]
    fn small_pictures_are_never_upscaled() {
        assert_eq!(offered(&WIDTHS, 800), vec![320, 640, 800]);
        assert_eq!(offered(&WIDTHS, 5000), vec![320, 640, 1024, 1600, 2400]);
        assert_eq!(offered(&WIDTHS, 100), vec![100]);
        let v = Variant::parse("w1024.jpg").unwrap();
        assert!(!v.is_offered(800, 600) && v.is_offered(1200, 900));
        assert_eq!(v.size(2048, 1536), (1024, 768));
    }

    #[test]
    fn crops_follow_the_focal_point_within_the_edges() {
        let c = crop_of(4000, 3000, Ratio::Square, (0, 5000));
        assert_eq!(
            (c.left, c.top, c.width, c.height),
            (0.0, 0.0, 3000.0, 3000.0)
        );
        let c = crop_of(4000, 3000, Ratio::Square, (10_000, 5000));
        assert_eq!(c.left, 1000.0);
        let c = crop_of(1600, 3000, Ratio::Wide, (5000, 2000));
        assert_eq!((c.width, c.height, c.top), (1600.0, 900.0, 150.0));
        assert_eq!(focal_of(0.33333, 1.5), (3333, 10_000));
    }
}
