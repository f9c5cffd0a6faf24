//! Makes a test photo for `bench/run-media`: a `width` × `height` JPEG (quality 90) with
//! the texture of a real photo (gradients and grain, so it decodes and compresses like one)
//! and the EXIF a phone writes (GPS, make, model), so the upload path does all its work.
//! `cargo run --example media-photo -- 6000 4000 SEED out.jpg`

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, width, height, seed, out] = args.as_slice() else {
        return Err("usage: media-photo WIDTH HEIGHT SEED OUT.jpg".into());
    };
    let (width, height): (u16, u16) = (width.parse()?, height.parse()?);
    let mut state: u32 = seed.parse::<u32>()?.wrapping_mul(2_654_435_761) | 1;
    let mut pixels = Vec::with_capacity(usize::from(width) * usize::from(height) * 3);
    for y in 0..u32::from(height) {
        for x in 0..u32::from(width) {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let grain = (state % 24) as u8;
            let base = [
                (x * 200 / u32::from(width)) as u8,
                (y * 180 / u32::from(height)) as u8,
                ((x + y) % 256) as u8 / 2,
            ];
            pixels.extend(base.map(|c| c.saturating_add(grain)));
        }
    }
    let fields = [
        Field {
            tag: Tag::Make,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"BenchCam".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(vec![Rational { num: 23, denom: 1 }; 3]),
        },
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![1]),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false)?;
    let mut bytes = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut bytes, 90);
    encoder.add_exif_metadata(&tiff.into_inner())?;
    encoder.encode(&pixels, width, height, jpeg_encoder::ColorType::Rgb)?;
    std::fs::write(out, bytes)?;
    Ok(())
}
