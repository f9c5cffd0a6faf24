//! What a photo says about itself that the newsroom keeps: caption, credit, copyright
//! notice, usage terms, alt text and capture time, read from XMP, IPTC IIM and EXIF (in that
//! order of trust: agencies fill IPTC/XMP, cameras write EXIF). Nothing else is read, and the
//! stored pictures keep none of it: location and device data never leave the upload.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, Utc};
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};

/// The longest value kept from a file (a caption is never longer in practice).
const MAX_CHARS: usize = 2000;

/// The fields a file carried, before any editor touched them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Embedded {
    pub caption: Option<String>,
    pub credit: Option<String>,
    pub copyright_notice: Option<String>,
    pub usage_terms: Option<String>,
    pub alt_text: Option<String>,
    pub captured_at: Option<DateTime<Utc>>,
}

/// What one metadata block said; the photographer (by-line) and the agency (credit) apart,
/// since one block may name one and another block the other.
#[derive(Debug, Default, PartialEq)]
struct Found {
    caption: Option<String>,
    byline: Option<String>,
    agency: Option<String>,
    copyright_notice: Option<String>,
    usage_terms: Option<String>,
    alt_text: Option<String>,
    captured_at: Option<DateTime<Utc>>,
}

impl Embedded {
    /// Reads the three metadata blocks a decoder found (any may be missing or garbage).
    pub fn read(exif: Option<&[u8]>, xmp: Option<&[u8]>, iptc: Option<&[u8]>) -> Embedded {
        let x = xmp.map(from_xmp).unwrap_or_default();
        let i = iptc.map(from_iptc).unwrap_or_default();
        let e = exif.map(from_exif).unwrap_or_default();
        Embedded {
            caption: x.caption.or(i.caption).or(e.caption),
            credit: credit_line(
                x.byline.or(i.byline).or(e.byline),
                x.agency.or(i.agency).or(e.agency),
            ),
            copyright_notice: x
                .copyright_notice
                .or(i.copyright_notice)
                .or(e.copyright_notice),
            usage_terms: x.usage_terms.or(i.usage_terms),
            alt_text: x.alt_text,
            // The camera's clock is the capture time; XMP and IPTC dates are often the day.
            captured_at: e.captured_at.or(x.captured_at).or(i.captured_at),
        }
    }
}

/// Trims, drops control characters (NUL above all) and bounds the length; empty is none.
fn clean(text: &str) -> Option<String> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(MAX_CHARS)
        .collect();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// "By-line/Credit", the way newspapers print a picture credit ("Jane Doe/Reuters").
fn credit_line(byline: Option<String>, credit: Option<String>) -> Option<String> {
    match (byline, credit) {
        (Some(b), Some(c)) if b != c => Some(format!("{b}/{c}")),
        (Some(b), _) => Some(b),
        (None, c) => c,
    }
}

fn from_exif(raw: &[u8]) -> Found {
    let Ok(exif) = exif::Reader::new().read_raw(raw.to_vec()) else {
        return Found::default();
    };
    let text = |tag| {
        exif.get_field(tag, exif::In::PRIMARY)
            .and_then(|f| match &f.value {
                exif::Value::Ascii(parts) => parts
                    .first()
                    .and_then(|p| clean(&String::from_utf8_lossy(p))),
                _ => None,
            })
    };
    // Cameras fill ImageDescription with their own name; that is no caption.
    let caption = text(exif::Tag::ImageDescription)
        .filter(|c| !c.to_ascii_uppercase().contains("DIGITAL CAMERA"));
    let captured_at = text(exif::Tag::DateTimeOriginal).and_then(|at| {
        let local = NaiveDateTime::parse_from_str(&at, "%Y:%m:%d %H:%M:%S").ok()?;
        // Without OffsetTimeOriginal the zone is unknown: the time is kept as if UTC.
        let offset = text(exif::Tag::OffsetTimeOriginal)
            .and_then(|o| DateTime::parse_from_str(&format!("2000-01-01T00:00:00{o}"), "%+").ok())
            .map(|d| *d.offset())
            .unwrap_or_else(|| Utc.fix());
        local
            .and_local_timezone(offset)
            .single()
            .map(|d| d.with_timezone(&Utc))
    });
    Found {
        caption,
        byline: text(exif::Tag::Artist),
        copyright_notice: text(exif::Tag::Copyright),
        captured_at,
        ..Found::default()
    }
}

/// IPTC IIM records inside Photoshop's image resources (APP13): resource 0x0404 holds
/// `0x1C, record, dataset, length (2 bytes), data` entries.
fn from_iptc(resources: &[u8]) -> Found {
    let mut iim: Vec<(u8, u8, &[u8])> = Vec::new();
    let mut at = 0;
    while at + 12 <= resources.len() && &resources[at..at + 4] == b"8BIM" {
        let id = u16::from_be_bytes([resources[at + 4], resources[at + 5]]);
        let name_len = usize::from(resources[at + 6]);
        let mut pos = at + 7 + name_len;
        if (1 + name_len) % 2 == 1 {
            pos += 1; // the Pascal name is padded to an even length
        }
        let Some(size) = resources.get(pos..pos + 4) else {
            break;
        };
        let size = u32::from_be_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let Some(data) = resources.get(pos + 4..pos + 4 + size) else {
            break;
        };
        if id == 0x0404 {
            iim.extend(iim_datasets(data));
        }
        at = pos + 4 + size + size % 2;
    }
    let get = |record: u8, dataset: u8| {
        iim.iter()
            .find(|(r, d, _)| *r == record && *d == dataset)
            .and_then(|(_, _, v)| clean(&String::from_utf8_lossy(v)))
    };
    let captured_at = get(2, 55).and_then(|date| {
        let date = NaiveDate::parse_from_str(&date, "%Y%m%d").ok()?;
        let time = get(2, 60)
            .and_then(|t| NaiveTime::parse_from_str(t.get(..6)?, "%H%M%S").ok())
            .unwrap_or_default();
        Some(date.and_time(time).and_utc())
    });
    Found {
        caption: get(2, 120),
        byline: get(2, 80),
        agency: get(2, 110),
        copyright_notice: get(2, 116),
        captured_at,
        ..Found::default()
    }
}

fn iim_datasets(data: &[u8]) -> Vec<(u8, u8, &[u8])> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 5 <= data.len() && data[at] == 0x1C {
        let len = usize::from(u16::from_be_bytes([data[at + 3], data[at + 4]]));
        if len & 0x8000 != 0 {
            break; // an extended dataset: never a text field we read
        }
        let Some(value) = data.get(at + 5..at + 5 + len) else {
            break;
        };
        out.push((data[at + 1], data[at + 2], value));
        at += 5 + len;
    }
    out
}

/// The XMP properties we read, by qualified name.
const XMP_FIELDS: [&str; 8] = [
    "dc:description",
    "dc:creator",
    "photoshop:Credit",
    "dc:rights",
    "xmpRights:UsageTerms",
    "Iptc4xmpCore:AltTextAccessibility",
    "photoshop:DateCreated",
    "exif:DateTimeOriginal",
];

fn from_xmp(packet: &[u8]) -> Found {
    let mut found: std::collections::BTreeMap<&'static str, String> = Default::default();
    let mut reader = quick_xml::Reader::from_reader(packet);
    let mut buf = Vec::new();
    let mut current: Option<&'static str> = None;
    let mut text = String::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(field) = XMP_FIELDS.iter().find(|f| **f == name) {
                    current = Some(field);
                    text.clear();
                }
                // The short form: properties as attributes of rdf:Description.
                for attr in e.attributes().flatten() {
                    let key = String::from_utf8_lossy(attr.key.as_ref()).into_owned();
                    if let Some(field) = XMP_FIELDS.iter().find(|f| **f == key) {
                        if let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        {
                            found.entry(field).or_insert_with(|| value.into_owned());
                        }
                    }
                }
            }
            Ok(Event::Text(t)) if current.is_some() => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Ok(Event::GeneralRef(r)) if current.is_some() => {
                let name = String::from_utf8_lossy(&r).into_owned();
                text.push_str(match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // The first rdf:li of an Alt or Seq (or the element's own text) is the value.
                if let Some(field) = current {
                    if name == "rdf:li" || name == field {
                        if !text.trim().is_empty() {
                            found.entry(field).or_insert_with(|| text.trim().to_owned());
                        }
                        text.clear();
                        if name == field {
                            current = None;
                        }
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
        buf.clear();
    }
    let get = |key: &str| found.get(key).and_then(|v| clean(v));
    let captured_at = get("photoshop:DateCreated")
        .or_else(|| get("exif:DateTimeOriginal"))
        .and_then(|at| {
            DateTime::parse_from_rfc3339(&at)
                .map(|d| d.with_timezone(&Utc))
                .ok()
                .or_else(|| {
                    NaiveDateTime::parse_from_str(&at, "%Y-%m-%dT%H:%M:%S")
                        .ok()
                        .map(|d| d.and_utc())
                })
        });
    Found {
        caption: get("dc:description"),
        byline: get("dc:creator"),
        agency: get("photoshop:Credit"),
        copyright_notice: get("dc:rights"),
        usage_terms: get("xmpRights:UsageTerms"),
        alt_text: get("Iptc4xmpCore:AltTextAccessibility"),
        captured_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_long_and_short_forms_are_read() {
        let xmp = br#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="r">
          <rdf:Description photoshop:Credit="Reuters" photoshop:DateCreated="2026-03-01T08:30:00+08:00">
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Rain &amp; wind in Dhaka</rdf:li></rdf:Alt></dc:description>
            <dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator>
            <dc:rights><rdf:Alt><rdf:li>(c) Reuters 2026</rdf:li></rdf:Alt></dc:rights>
            <Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li>A flooded street</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
          </rdf:Description></rdf:RDF></x:xmpmeta>"#;
        let read = Embedded::read(None, Some(xmp), None);
        assert_eq!(read.caption.as_deref(), Some("Rain & wind in Dhaka"));
        assert_eq!(read.credit.as_deref(), Some("Jane Doe/Reuters"));
        assert_eq!(read.copyright_notice.as_deref(), Some("(c) Reuters 2026"));
        assert_eq!(read.alt_text.as_deref(), Some("A flooded street"));
        assert_eq!(
            read.captured_at.map(|d| d.to_rfc3339()),
            Some("2026-03-01T00:30:00+00:00".to_owned())
        );
    }

    #[test]
    fn iptc_records_are_read_and_garbage_is_ignored() {
        let mut iim = Vec::new();
        for (dataset, value) in [(120u8, "Caption here"), (80, "Jane Doe"), (110, "AFP")] {
            iim.extend([0x1C, 2, dataset]);
            iim.extend((value.len() as u16).to_be_bytes());
            iim.extend(value.as_bytes());
        }
        let mut res = b"8BIM\x04\x04\0\0".to_vec();
        res.extend((iim.len() as u32).to_be_bytes());
        res.extend(&iim);
        let read = Embedded::read(None, None, Some(&res));
        assert_eq!(read.caption.as_deref(), Some("Caption here"));
        assert_eq!(read.credit.as_deref(), Some("Jane Doe/AFP"));
        assert_eq!(
            from_iptc(b"8BIM\x04\x04\0\0\xFF\xFF\xFF\xFF"),
            Found::default()
        );
        assert_eq!(from_xmp(b"<not xml"), Found::default());
        assert_eq!(from_exif(b"garbage"), Found::default());
    }
}
