//! An outlet's colour on the reader site: a `#rrggbb` colour, and the text colour drawn on it
//! (black or white, whichever contrasts more). WCAG 2 contrast is `(L1 + 0.05) / (L2 + 0.05)`
//! of the relative luminances; the better of black and white is at least 4.58:1 for every
//! colour (the worst is a luminance of about 0.18), so any colour keeps AA (4.5:1) for normal
//! text and nothing needs refusing beyond its shape. The tests walk the colour cube.

use crate::error::{AppError, Result};

/// A colour as `#rrggbb`, lower case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colour(String);

/// WCAG 2.x AA for normal text.
pub const AA_CONTRAST: f64 = 4.5;

impl Colour {
    /// `#rrggbb` (either case, surrounding blanks ignored); anything else is a 422 on `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Colour> {
        let value = raw.trim();
        let ok = value.len() == 7
            && value.starts_with('#')
            && value[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if !ok {
            return Err(AppError::field(
                field,
                "must be a colour written #rrggbb, like #1a4f8b",
            ));
        }
        Ok(Colour(value.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn channels(&self) -> [u8; 3] {
        let byte = |i: usize| u8::from_str_radix(&self.0[i..i + 2], 16).unwrap_or(0);
        [byte(1), byte(3), byte(5)]
    }

    /// WCAG 2 relative luminance.
    pub fn luminance(&self) -> f64 {
        let [r, g, b] = self.channels().map(|c| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        });
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// The text colour to draw on this one: `#000000` or `#ffffff`, the higher contrast.
    pub fn text_colour(&self) -> Colour {
        let l = self.luminance();
        if contrast(l, 0.0) >= contrast(l, 1.0) {
            Colour("#000000".into())
        } else {
            Colour("#ffffff".into())
        }
    }
}

/// The WCAG 2 contrast ratio of two relative luminances.
pub fn contrast(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rrggbb_is_a_colour_and_it_is_kept_lower_case() {
        assert_eq!(Colour::parse("c", " #1A4F8B ").unwrap().as_str(), "#1a4f8b");
        for bad in [
            "",
            "#fff",
            "1a4f8b",
            "#1a4f8g",
            "#1a4f8b0",
            "red",
            "#1a4f8b;}",
            "#ééé",
        ] {
            assert!(Colour::parse("c", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_text_colour_keeps_aa_contrast_on_every_colour() {
        let mut worst = f64::MAX;
        for r in (0..=255u32).step_by(3) {
            for g in (0..=255u32).step_by(3) {
                for b in (0..=255u32).step_by(3) {
                    let c = Colour(format!("#{r:02x}{g:02x}{b:02x}"));
                    let text = c.text_colour();
                    let ratio = contrast(c.luminance(), text.luminance());
                    worst = worst.min(ratio);
                    assert!(ratio >= AA_CONTRAST, "{} on {}: {ratio}", text.0, c.0);
                }
            }
        }
        assert!(worst < 4.7, "the walk reached the hard middle: {worst}");
        assert_eq!(Colour("#ffffff".into()).text_colour().0, "#000000");
        assert_eq!(Colour("#000000".into()).text_colour().0, "#ffffff");
        assert_eq!(Colour("#1a4f8b".into()).text_colour().0, "#ffffff");
        assert_eq!(Colour("#ffd500".into()).text_colour().0, "#000000");
    }
}
