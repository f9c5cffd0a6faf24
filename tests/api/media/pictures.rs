//! Test pictures, made here rather than committed: a phone photo that carries everything a
//! phone writes (EXIF with GPS, make, model and orientation; XMP with GPS; IPTC with a city),
//! plain PNG/GIF/WebP pictures, and the bad-input corpus (truncated, polyglots, bombs,
//! mislabelled files).

use exif::experimental::Writer;
use exif::{Field, In, Rational, Tag, Value};

/// Text that must never reach a reader: the phone's make, model and the place.
pub const SECRETS: [&str; 6] = [
    "SnoopCam",
    "GPS-9000",
    "Kawran Bazar",
    "23.7509",
    "http://ns.adobe.com/xap",
    "Photoshop 3.0",
];

/// A `width` × `height` picture: red on the left half, blue on the right, with a gradient so
/// encoders have something to chew.
pub fn rgb(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let shade = ((x + y) % 32) as u8;
            if x < width / 2 {
                out.extend([220 + shade / 2, shade, shade]);
            } else {
                out.extend([shade, shade, 220 + shade / 2]);
            }
        }
    }
    out
}

fn ascii(tag: Tag, text: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![text.as_bytes().to_vec()]),
    }
}

fn degrees(d: u32, m: u32, s_hundredths: u32) -> Value {
    Value::Rational(vec![
        Rational { num: d, denom: 1 },
        Rational { num: m, denom: 1 },
        Rational {
            num: s_hundredths,
            denom: 100,
        },
    ])
}

/// The EXIF block of a phone: GPS, make, model, rotated 90° (orientation 6), a caption and a
/// capture time.
fn phone_exif() -> Vec<u8> {
    let fields = vec![
        ascii(Tag::Make, "SnoopCam"),
        ascii(Tag::Model, "GPS-9000"),
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        ascii(Tag::ImageDescription, "Evening rush in Kawran Bazar"),
        ascii(Tag::Artist, "Rafiq Ahmed"),
        ascii(Tag::Copyright, "(c) Rafiq Ahmed"),
        ascii(Tag::DateTimeOriginal, "2026:03:01 18:30:00"),
        ascii(Tag::OffsetTimeOriginal, "+06:00"),
        ascii(Tag::GPSLatitudeRef, "N"),
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: degrees(23, 45, 300),
        },
        ascii(Tag::GPSLongitudeRef, "E"),
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: degrees(90, 23, 4200),
        },
    ];
    let mut writer = Writer::new();
    for field in &fields {
        writer.push_field(field);
    }
    let mut tiff = std::io::Cursor::new(Vec::new());
    writer.write(&mut tiff, false).expect("write EXIF");
    tiff.into_inner()
}

fn phone_xmp() -> Vec<u8> {
    let packet = r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
 <rdf:Description rdf:about="" exif:GPSLatitude="23,45.05N" exif:GPSLongitude="90,23.7E" tiff:Make="SnoopCam"
   photoshop:Credit="Dhaka Tribune" photoshop:City="Kawran Bazar 23.7509">
  <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Commuters crowd a bus at dusk</rdf:li></rdf:Alt></dc:description>
  <Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">People squeeze onto a red bus</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
 </rdf:Description></rdf:RDF></x:xmpmeta>"#;
    [
        b"http://ns.adobe.com/xap/1.0/\0".as_slice(),
        packet.as_bytes(),
    ]
    .concat()
}

fn phone_iptc() -> Vec<u8> {
    let mut iim = Vec::new();
    for (dataset, value) in [
        (120u8, "IPTC caption"),
        (80, "Rafiq Ahmed"),
        (90, "Kawran Bazar"),
    ] {
        iim.extend([0x1C, 2, dataset]);
        iim.extend((value.len() as u16).to_be_bytes());
        iim.extend(value.as_bytes());
    }
    let mut out = b"Photoshop 3.0\0".to_vec();
    out.extend(b"8BIM\x04\x04\0\0");
    out.extend((iim.len() as u32).to_be_bytes());
    out.extend(&iim);
    out
}

/// A JPEG as a phone writes it: stored 40 px wide and 24 high, to be shown rotated (24 × 40),
/// with every metadata block newsroom must keep out of what it serves.
pub fn phone_photo() -> Vec<u8> {
    phone_photo_sized(40, 24)
}

pub fn phone_photo_sized(width: u16, height: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.add_exif_metadata(&phone_exif()).expect("EXIF");
    encoder.add_app_segment(1, phone_xmp()).expect("XMP");
    encoder.add_app_segment(13, phone_iptc()).expect("IPTC");
    encoder
        .encode(
            &rgb(u32::from(width), u32::from(height)),
            width,
            height,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode");
    out
}

/// A small JPEG whose bytes no other upload has (a unique application segment), so it
/// always makes a new picture.
pub fn unique_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    let tag = uuid::Uuid::now_v7().to_string().into_bytes();
    encoder.add_app_segment(15, tag).expect("segment");
    encoder
        .encode(&rgb(16, 12), 16, 12, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}

/// A small JPEG whose pixels no other upload has, so it makes a new master (renditions at
/// URLs of its own) and not only a new picture.
pub fn distinct_jpeg() -> Vec<u8> {
    let seed = uuid::Uuid::now_v7().into_bytes();
    let pixels: Vec<u8> = (0..16 * 12 * 3).map(|i| seed[i % 16] ^ (i as u8)).collect();
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 95)
        .encode(&pixels, 16, 12, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}

/// A plain JPEG (no metadata), of a given size.
pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 85)
        .encode(
            &rgb(u32::from(width), u32::from(height)),
            width,
            height,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("encode");
    out
}

fn encode(image: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode");
    out.into_inner()
}

/// A PNG whose left half is transparent.
pub fn png_with_alpha(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, _| {
        image::Rgba([0, 120, 0, if x < width / 2 { 0 } else { 255 }])
    });
    encode(image.into(), image::ImageFormat::Png)
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_raw(width, height, rgb(width, height)).expect("size");
    encode(image.into(), image::ImageFormat::Png)
}

pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 255]));
    encode(image.into(), image::ImageFormat::Gif)
}

pub fn webp(width: u32, height: u32) -> Vec<u8> {
    let data = rgb(width, height);
    webp::Encoder::from_rgb(&data, width, height)
        .encode(75.0)
        .to_vec()
}

/// A JPEG whose frame header claims `width` × `height`: a decompression bomb, refused from
/// its header before a pixel is decoded.
pub fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(16, 16);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// A PNG whose header claims `width` × `height` (with a valid checksum).
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(4, 4);
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    bytes
}

/// A GIF whose screen claims 65,535 × 65,535 pixels.
pub fn gif_bomb() -> Vec<u8> {
    let mut bytes = gif(4, 4);
    bytes[6..10].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    bytes
}

/// A JPEG with a ZIP archive after it (a "GIFAR"-style polyglot).
pub fn jpeg_zip_polyglot() -> Vec<u8> {
    let mut bytes = jpeg(32, 32);
    bytes.extend(b"PK\x03\x04\x14\0\0\0\0\0payload.html<script>x</script>");
    bytes.extend(b"PK\x01\x02 central directory ");
    bytes.extend(b"PK\x05\x06\0\0\0\0\x01\0\x01\0\0\0\0\0\0\0\0\0\0\0");
    bytes
}

/// A JPEG whose APP15 segment is an HTML page.
pub fn jpeg_html_polyglot() -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 85);
    encoder
        .add_app_segment(
            15,
            b"<html><body><script>alert(document.cookie)</script>".to_vec(),
        )
        .expect("segment");
    encoder
        .encode(&rgb(32, 32), 32, 32, jpeg_encoder::ColorType::Rgb)
        .expect("encode");
    out
}

pub const SVG: &[u8] =
    br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>"#;
