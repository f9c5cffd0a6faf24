//! Which stories a run writes: the numbers below the target that no committed batch holds,
//! cut into batches. Writers commit batches concurrently, so a stopped run can leave gaps.

/// A run of consecutive story numbers: one batch, one transaction, one `seed_batches` row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: u64,
    pub count: u64,
}

/// The numbers `0..total` missing from `written`, in order, as spans of at most `batch`.
pub fn missing(written: &[Span], total: u64, batch: u64) -> Vec<Span> {
    let mut sorted = written.to_vec();
    sorted.sort_by_key(|s| s.first);
    let end = Span {
        first: total,
        count: 0,
    };
    let mut todo = Vec::new();
    let mut next = 0;
    for w in sorted.iter().chain(std::iter::once(&end)) {
        let gap_end = w.first.min(total);
        while next < gap_end {
            let count = batch.min(gap_end - next);
            todo.push(Span { first: next, count });
            next += count;
        }
        next = next.max(w.first + w.count);
    }
    todo
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(first: u64, count: u64) -> Span {
        Span { first, count }
    }

    #[test]
    fn a_fresh_run_cuts_everything_into_batches() {
        assert_eq!(
            missing(&[], 2500, 1000),
            [span(0, 1000), span(1000, 1000), span(2000, 500)]
        );
        assert_eq!(missing(&[], 0, 1000), []);
    }

    #[test]
    fn a_resumed_run_fills_only_the_gaps() {
        // Batches 0 and 2 committed, 1 did not (a concurrent writer was stopped), and a
        // previous smaller run ended at 2,500.
        let written = [span(2000, 500), span(0, 1000)];
        assert_eq!(
            missing(&written, 4000, 1000),
            [span(1000, 1000), span(2500, 1000), span(3500, 500)]
        );
        assert_eq!(
            missing(&written, 1000, 1000),
            [],
            "nothing below the target"
        );
        assert_eq!(missing(&[span(0, 300)], 350, 1000), [span(300, 50)]);
        assert_eq!(missing(&[span(0, 300)], 100, 1000), [], "never removes");
    }
}
