//! The geometry of the usage screen's chart, two series on one scale: one bar per day
//! (stories fetched) and one point per day (requests), the points joined by a line, in a
//! fixed `viewBox` the browser scales to the page's width.
//! Only numbers here; `templates/desk/partner_usage.html` draws them, so every value is
//! escaped by the template engine and no HTML is built in Rust.

use chrono::NaiveDate;
use serde::Serialize;

/// The `viewBox` width and height: narrow enough that its 16-unit labels stay near 11 px
/// on a 375 px phone, where the chart is drawn at about 340 px wide.
pub(super) const WIDTH: f64 = 480.0;
pub(super) const HEIGHT: f64 = 200.0;
/// Room for the y axis labels on the left and the dates below.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 30.0;
/// The share of a day's slot its bar takes.
const BAR_SHARE: f64 = 0.7;

/// One day's totals over every outlet.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub(super) struct Day {
    pub day: NaiveDate,
    pub fetches: i64,
    /// Distinct stories (in the table, not drawn).
    pub stories: i64,
    pub requests: i64,
}

/// One day as drawn.
#[derive(Debug, Serialize)]
pub(super) struct Mark {
    pub day: String,
    pub fetches: i64,
    pub requests: i64,
    /// The bar: its left edge, top, width and height.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// The point (requests): its centre.
    pub cx: f64,
    pub cy: f64,
}

/// The chart as the template draws it.
#[derive(Debug, Serialize)]
pub(super) struct Chart {
    pub width: f64,
    pub height: f64,
    /// The plot's left edge, right edge and baseline, for the axes.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub baseline: f64,
    /// The value of the top of the scale (the largest day, at least 1).
    pub max: i64,
    pub marks: Vec<Mark>,
    /// The requests' line through the points: `x,y x,y …`.
    pub line: String,
    pub first: String,
    pub last: String,
}

/// Rounds to a tenth, so the SVG stays short.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The chart of `days` (one entry per day, in order); none for no days.
pub(super) fn chart(days: &[Day]) -> Option<Chart> {
    let (first, last) = (days.first()?, days.last()?);
    let max = days
        .iter()
        .map(|d| d.fetches.max(d.requests))
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let baseline = HEIGHT - BOTTOM;
    let slot = plot_w / days.len() as f64;
    let scale = |v: i64| plot_h * v as f64 / max as f64;
    let marks: Vec<Mark> = days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let start = LEFT + slot * i as f64;
            let w = slot * BAR_SHARE;
            let h = scale(d.fetches);
            Mark {
                day: d.day.to_string(),
                fetches: d.fetches,
                requests: d.requests,
                x: tenth(start + (slot - w) / 2.0),
                y: tenth(baseline - h),
                w: tenth(w),
                h: tenth(h),
                cx: tenth(start + slot / 2.0),
                cy: tenth(baseline - scale(d.requests)),
            }
        })
        .collect();
    let line = marks
        .iter()
        .map(|m| format!("{},{}", m.cx, m.cy))
        .collect::<Vec<_>>()
        .join(" ");
    Some(Chart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: WIDTH - RIGHT,
        top: TOP,
        baseline,
        max,
        marks,
        line,
        first: first.day.to_string(),
        last: last.day.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: u32, fetches: i64, requests: i64) -> Day {
        Day {
            day: NaiveDate::from_ymd_opt(2026, 12, n).expect("a date"),
            fetches,
            stories: 0,
            requests,
        }
    }

    #[test]
    fn no_days_draw_no_chart() {
        assert!(chart(&[]).is_none());
    }

    #[test]
    fn the_largest_day_reaches_the_top_and_an_empty_day_has_no_height() {
        let c = chart(&[day(1, 4, 2), day(2, 0, 0), day(3, 2, 1)]).expect("a chart");
        assert_eq!(c.max, 4);
        assert_eq!(c.marks.len(), 3);
        assert_eq!(c.marks[0].y, TOP);
        assert_eq!(c.marks[0].y + c.marks[0].h, HEIGHT - BOTTOM);
        assert_eq!(c.marks[1].h, 0.0);
        assert_eq!(c.marks[1].y, HEIGHT - BOTTOM);
        assert_eq!(c.marks[2].h, tenth(c.marks[0].h / 2.0));
        // Requests: two of four is half way up.
        assert_eq!(
            c.marks[0].cy,
            tenth(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) / 2.0)
        );
        assert_eq!(
            (c.first.as_str(), c.last.as_str()),
            ("2026-12-01", "2026-12-03")
        );
    }

    #[test]
    fn bars_stay_inside_the_plot_in_order_without_overlapping() {
        let days: Vec<Day> = (1..=31).map(|n| day(n, n as i64, 1)).collect();
        let c = chart(&days).expect("a chart");
        for pair in c.marks.windows(2) {
            assert!(pair[0].x + pair[0].w < pair[1].x, "{pair:?}");
            assert!(pair[0].cx < pair[1].cx);
        }
        let (first, last) = (&c.marks[0], &c.marks[30]);
        assert!(first.x >= LEFT);
        assert!(last.x + last.w <= WIDTH - RIGHT + 0.1);
        assert!(c
            .marks
            .iter()
            .all(|m| m.y >= TOP && m.cy <= HEIGHT - BOTTOM));
    }

    #[test]
    fn requests_above_the_stories_set_the_scale_and_the_line_joins_the_points() {
        // A partner polling an empty feed: requests, no stories.
        let c = chart(&[day(1, 0, 6), day(2, 3, 2)]).expect("a chart");
        assert_eq!(c.max, 6);
        assert_eq!(c.marks[0].cy, TOP);
        assert_eq!(c.marks[0].h, 0.0);
        assert_eq!(c.marks[1].h, tenth((HEIGHT - TOP - BOTTOM) / 2.0));
        assert_eq!(
            c.line,
            format!(
                "{},{} {},{}",
                c.marks[0].cx, c.marks[0].cy, c.marks[1].cx, c.marks[1].cy
            )
        );
    }

    #[test]
    fn a_quiet_range_still_has_a_scale() {
        let c = chart(&[day(1, 0, 0)]).expect("a chart");
        assert_eq!(c.max, 1);
        assert_eq!(c.marks[0].h, 0.0);
    }
}
