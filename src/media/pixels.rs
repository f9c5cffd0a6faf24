//! A decoded picture as 8-bit RGB or RGBA, and what is done to one: resize (with a crop) by
//! `fast_image_resize`, and encode as JPEG (`jpeg-encoder`), lossy WebP (libwebp) or PNG.
//! Only pixels go in and out: nothing here writes a metadata block.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{PixelType, ResizeOptions, Resizer};
use image::{DynamicImage, ImageEncoder};

use crate::error::{AppError, Result};

/// A picture's pixels, with alpha only where some pixel is not opaque.
pub struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

/// A rectangle of the source, in pixels (left, top, width, height).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Crop {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Pixels {
    /// Any decoded image, 16-bit and grey ones included, as 8-bit RGB(A).
    pub fn from_image(image: DynamicImage) -> Pixels {
        let (width, height) = (image.width(), image.height());
        if image.color().has_alpha() {
            let rgba = image.into_rgba8();
            if rgba.pixels().any(|p| p.0[3] != u8::MAX) {
                return Pixels {
                    width,
                    height,
                    alpha: true,
                    data: rgba.into_raw(),
                };
            }
            let rgb = DynamicImage::ImageRgba8(rgba).into_rgb8();
            return Pixels {
                width,
                height,
                alpha: false,
                data: rgb.into_raw(),
            };
        }
        Pixels {
            width,
            height,
            alpha: false,
            data: image.into_rgb8().into_raw(),
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn has_alpha(&self) -> bool {
        self.alpha
    }

    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }

    /// The `crop` of this picture scaled to `width` × `height` (Lanczos3).
    pub fn resized(&self, crop: Crop, width: u32, height: u32) -> Result<Pixels> {
        let src = ImageRef::new(self.width, self.height, &self.data, self.pixel_type())
            .map_err(|e| anyhow::anyhow!("resize source: {e}"))?;
        let mut dst = Image::new(width, height, self.pixel_type());
        let options = ResizeOptions::new().crop(crop.left, crop.top, crop.width, crop.height);
        Resizer::new()
            .resize(&src, &mut dst, &options)
            .map_err(|e| anyhow::anyhow!("resize: {e}"))?;
        Ok(Pixels {
            width,
            height,
            alpha: self.alpha,
            data: dst.into_vec(),
        })
    }

    /// The whole picture as a crop.
    pub fn whole(&self) -> Crop {
        Crop {
            left: 0.0,
            top: 0.0,
            width: f64::from(self.width),
            height: f64::from(self.height),
        }
    }

    /// RGB pixels: transparent areas laid on white (JPEG has no alpha).
    fn rgb(&self) -> std::borrow::Cow<'_, [u8]> {
        if !self.alpha {
            return std::borrow::Cow::Borrowed(&self.data);
        }
        let mut out = Vec::with_capacity(self.data.len() / 4 * 3);
        for p in self.data.chunks_exact(4) {
            let a = u32::from(p[3]);
            for c in &p[..3] {
                out.push(((u32::from(*c) * a + 255 * (255 - a) + 127) / 255) as u8);
            }
        }
        std::borrow::Cow::Owned(out)
    }

    pub fn jpeg(&self, quality: u8) -> Result<Vec<u8>> {
        let (w, h) = (dimension(self.width)?, dimension(self.height)?);
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, quality)
            .encode(&self.rgb(), w, h, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| anyhow::anyhow!("JPEG encoding: {e}"))?;
        Ok(out)
    }

    /// Lossy WebP (alpha kept).
    pub fn webp(&self, quality: f32) -> Result<Vec<u8>> {
        let encoder = if self.alpha {
            webp::Encoder::from_rgba(&self.data, self.width, self.height)
        } else {
            webp::Encoder::from_rgb(&self.data, self.width, self.height)
        };
        let mut config =
            webp::WebPConfig::new().map_err(|_| anyhow::anyhow!("libwebp: no configuration"))?;
        config.quality = quality;
        config.alpha_compression = 1;
        let memory = encoder
            .encode_advanced(&config)
            .map_err(|e| anyhow::anyhow!("WebP encoding: {e:?}"))?;
        Ok(memory.to_vec())
    }

    /// Lossless PNG, fast compression (a master is written once and read rarely).
    pub fn png(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let color = if self.alpha {
            image::ExtendedColorType::Rgba8
        } else {
            image::ExtendedColorType::Rgb8
        };
        image::codecs::png::PngEncoder::new_with_quality(
            &mut out,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(&self.data, self.width, self.height, color)
        .map_err(|e| anyhow::anyhow!("PNG encoding: {e}"))?;
        Ok(out)
    }
}

/// JPEG stores sizes in 16 bits; larger pictures are refused long before they get here.
fn dimension(value: u32) -> Result<u16> {
    u16::try_from(value).map_err(|_| {
        AppError::TooLarge("a side of the picture is longer than 65,535 pixels".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_opaque_alpha_channel_is_dropped_and_transparency_meets_white() {
        let opaque = image::RgbaImage::from_pixel(4, 2, image::Rgba([10, 20, 30, 255]));
        assert!(!Pixels::from_image(DynamicImage::ImageRgba8(opaque)).has_alpha());
        let clear = image::RgbaImage::from_pixel(4, 2, image::Rgba([0, 0, 0, 0]));
        let pixels = Pixels::from_image(DynamicImage::ImageRgba8(clear));
        assert!(pixels.has_alpha());
        assert!(pixels.rgb().iter().all(|c| *c == 255));
        let small = pixels.resized(pixels.whole(), 2, 1).unwrap();
        assert_eq!((small.width(), small.height()), (2, 1));
        assert!(small.webp(80.0).unwrap().starts_with(b"RIFF"));
        assert!(small.jpeg(80).unwrap().starts_with(&[0xFF, 0xD8]));
        assert!(small.png().unwrap().starts_with(b"\x89PNG"));
    }
}
