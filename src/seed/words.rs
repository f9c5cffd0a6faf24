//! The vocabularies of the synthetic stories, one per language: enough nouns, verbs and places
//! that headlines, standfirsts and bodies read like news and searches hit a realistic share.

use super::languages::{DE, EN, ES, FR, ID};

/// The words of one language.
pub struct Words {
    pub tag: &'static str,
    /// Subjects of sentences: who acts.
    pub subjects: &'static [&'static str],
    /// Verbs in the third person, each with what follows it.
    pub verbs: &'static [&'static str],
    /// Objects: what the story is about.
    pub objects: &'static [&'static str],
    /// Prepositions or adverbial phrases that lead to a place.
    pub links: &'static [&'static str],
    /// Sentence openers that join a second clause.
    pub joins: &'static [&'static str],
    pub subheadings: &'static [&'static str],
    /// Lead-ins of a bullet list.
    pub list_intro: &'static str,
}

/// Places, shared by every language.
pub const PLACES: &[&str] = &[
    "Jakarta",
    "Dhaka",
    "Karachi",
    "Singapore",
    "Kuala Lumpur",
    "Beijing",
    "Manila",
    "Hanoi",
    "Bangkok",
    "Colombo",
    "Kathmandu",
    "Lahore",
    "Chittagong",
    "Penang",
    "Shanghai",
    "Yangon",
    "Phnom Penh",
    "Islamabad",
    "Surabaya",
    "Guangzhou",
    "Johor Bahru",
    "Sylhet",
    "Cebu",
    "Da Nang",
];

/// Tags, in English whatever the story's language (as desks file them).
pub const TAGS: &[&str] = &[
    "trade",
    "monsoon",
    "elections",
    "rice",
    "tariffs",
    "summit",
    "floods",
    "currency",
    "railways",
    "parliament",
    "drought",
    "festivals",
    "startups",
    "ports",
    "energy",
    "coal",
    "solar",
    "treaties",
    "exports",
    "inflation",
    "budget",
    "courts",
    "schools",
    "hospitals",
    "cricket",
    "borders",
    "fisheries",
    "airlines",
    "banking",
    "cyclones",
    "dengue",
    "earthquakes",
    "garments",
    "highways",
    "investment",
    "literacy",
    "mangroves",
    "nursing",
    "pensions",
    "refineries",
    "shipyards",
    "textiles",
    "universities",
    "vaccines",
    "wages",
    "youth",
    "bridges",
    "canals",
    "dams",
    "ferries",
    "asean",
    "climate",
    "diplomacy",
    "tourism",
    "housing",
    "water",
    "telecoms",
    "police",
    "labour",
    "agriculture",
];

pub const LANGUAGES: &[Words] = &[EN, FR, DE, ES, ID];
