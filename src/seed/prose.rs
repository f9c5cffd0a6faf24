//! The text of a seeded story: its language, headline and a 2-6 KB Markdown body of
//! paragraphs, subheadings, lists, links and emphasis, drawn from the word lists.

use rand::rngs::StdRng;
use rand::Rng;

use super::languages::LANGUAGES;
use super::words::{Words, PLACES, TAGS};

/// Bodies are 2-6 KB of Markdown (bytes of UTF-8).
pub const MIN_BODY: usize = 2 * 1024;
pub const MAX_BODY: usize = 6 * 1024;

pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// English four stories in five; then French, German, Spanish and Indonesian.
pub(super) fn language(rng: &mut StdRng) -> &'static Words {
    let i = match rng.gen_range(0..100) {
        0..=79 => 0,
        80..=85 => 1,
        86..=90 => 2,
        91..=95 => 3,
        _ => 4,
    };
    &LANGUAGES[i]
}

fn lower_first(words: &Words, s: &str) -> String {
    // German capitalises its nouns, and "Kementerian Keuangan" is a name.
    if matches!(words.tag, "de" | "id") {
        return s.to_owned();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub(super) fn headline(rng: &mut StdRng, w: &Words) -> String {
    format!(
        "{} {} {} {} {}",
        pick(rng, w.subjects),
        pick(rng, w.verbs),
        pick(rng, w.objects),
        pick(rng, w.links),
        pick(rng, PLACES)
    )
}

/// One sentence; `rich` allows emphasis and a joining opener.
pub(super) fn sentence(rng: &mut StdRng, w: &Words, rich: bool) -> String {
    let mut subject = (*pick(rng, w.subjects)).to_owned();
    let mut object = (*pick(rng, w.objects)).to_owned();
    if rich && rng.gen_bool(0.1) {
        object = format!("*{object}*");
    }
    if rich && rng.gen_bool(0.05) {
        subject = format!("**{subject}**");
    }
    let place = pick(rng, PLACES);
    let link = pick(rng, w.links);
    let verb = pick(rng, w.verbs);
    if rich && rng.gen_bool(0.3) {
        let join = pick(rng, w.joins);
        format!(
            "{join} {} {verb} {object} {link} {place}.",
            lower_first(w, &subject)
        )
    } else {
        format!("{subject} {verb} {object} {link} {place}.")
    }
}

fn paragraph(rng: &mut StdRng, w: &Words, website: &str) -> String {
    let mut sentences: Vec<String> = (0..rng.gen_range(2..=4))
        .map(|_| sentence(rng, w, true))
        .collect();
    if rng.gen_bool(0.15) {
        let tag = pick(rng, TAGS);
        sentences.push(format!("[More on {tag}]({website}/tags/{tag})."));
    }
    sentences.join(" ")
}

fn list(rng: &mut StdRng, w: &Words) -> String {
    let items: Vec<String> = (0..rng.gen_range(3..=5))
        .map(|_| {
            format!(
                "- {} {} {}",
                pick(rng, w.objects),
                pick(rng, w.links),
                pick(rng, PLACES)
            )
        })
        .collect();
    format!("{}\n\n{}", w.list_intro, items.join("\n"))
}

/// Paragraphs, with a subheading now and then and at most one list, between 2 and 6 KB.
pub(super) fn body(rng: &mut StdRng, w: &Words, website: &str) -> String {
    let target = rng.gen_range(MIN_BODY..=MAX_BODY);
    let mut body = String::with_capacity(target + 512);
    let mut has_list = false;
    let mut blocks = 0;
    while body.len() < target {
        let block = match rng.gen_range(0..100) {
            _ if blocks < 2 => paragraph(rng, w, website),
            0..=19 => format!(
                "## {}\n\n{}",
                pick(rng, w.subheadings),
                paragraph(rng, w, website)
            ),
            20..=27 if !has_list => {
                has_list = true;
                list(rng, w)
            }
            _ => paragraph(rng, w, website),
        };
        // A block is under 1 KB, so stopping here still leaves more than the minimum.
        if body.len() + 2 + block.len() > MAX_BODY {
            break;
        }
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(&block);
        blocks += 1;
    }
    body
}
