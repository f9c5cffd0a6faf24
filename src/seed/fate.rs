//! Where a seeded story ends up (`Fate`), and the share of published stories under embargo
//! that `newsroom seed --embargoed` sets.

/// Where a story ends up, drawn per story: ~90% published (of which a share under embargo,
/// `EmbargoShare`), a few of each other state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fate {
    Draft,
    InReview,
    Approved,
    Scheduled,
    Published,
    Corrected,
    Embargoed,
    Unpublished,
    Killed,
}

/// Of every 1,000 draws, the ones that end published (visible, corrected or under embargo).
const PUBLISHED_SLOTS: f64 = 910.0;
/// Of those, the ones corrected once (18 in 910, ~2%), whatever the embargoed share.
const CORRECTED_SLOTS: f64 = 18.0;

/// The share of the published stories that are under embargo at the head of the timeline
/// (`newsroom seed --embargoed`): each such story makes the latest-stories reads skip it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EmbargoShare {
    /// How many of the 910 published slots of 1,000 draws are embargoed (may be fractional).
    slots: f64,
}

impl EmbargoShare {
    /// At most half the published stories: past that the data says little about a newsroom.
    pub const MAX: f64 = 0.5;

    /// A share from 0 to 0.5 (0.01 = 1 % of the published stories).
    pub fn parse(share: f64) -> Result<Self, String> {
        if !(0.0..=Self::MAX).contains(&share) {
            return Err(format!(
                "the embargoed share is a fraction of the published stories from 0 to {} \
                 (0.01 = 1 %), not {share}",
                Self::MAX
            ));
        }
        Ok(Self {
            slots: share * PUBLISHED_SLOTS,
        })
    }

    pub fn share(self) -> f64 {
        self.slots / PUBLISHED_SLOTS
    }
}

impl Default for EmbargoShare {
    /// Today's seed: 10 of the 910 published slots (~1.1 %), so the default run writes the
    /// same stories as before the flag existed.
    fn default() -> Self {
        Self { slots: 10.0 }
    }
}

/// The fate of a 0..1000 `draw`; a published draw is placed within its slot by `spread`
/// (0 to 1, a draw of its own), so any share of embargoed stories can be met, and at the
/// default share the embargoed ones are exactly the draws 90 to 99 as before.
pub(super) fn fate(draw: i32, spread: f64, embargoed: EmbargoShare) -> Fate {
    match draw {
        0..=29 => Fate::Draft,
        30..=49 => Fate::InReview,
        50..=59 => Fate::Approved,
        60..=69 => Fate::Scheduled,
        70..=79 => Fate::Unpublished,
        80..=89 => Fate::Killed,
        _ => {
            let at = f64::from(draw - 90) + spread;
            if at < embargoed.slots {
                Fate::Embargoed
            } else if at < embargoed.slots + CORRECTED_SLOTS {
                Fate::Corrected
            } else {
                Fate::Published
            }
        }
    }
}

/// Story `n`'s place within its fate's slot: from a hash of `n` (splitmix64), not from the
/// story's RNG, whose sequence (and so every story's text) stays what it was. 40 bits, so
/// `draw + spread` is exact in an f64.
pub(super) fn spread(n: u64) -> f64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 24) as f64 / (1u64 << 40) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every draw of 0..1000, each at 1,000 places within its slot: exact shares, no sampling.
    fn shares(embargoed: EmbargoShare) -> (f64, f64) {
        let (mut published, mut under_embargo, mut corrected) = (0u32, 0u32, 0u32);
        for draw in 0..1000 {
            for k in 0..1000 {
                match fate(draw, f64::from(k) / 1000.0, embargoed) {
                    Fate::Embargoed => under_embargo += 1,
                    Fate::Corrected => corrected += 1,
                    Fate::Published => {}
                    _ => continue,
                }
                published += 1;
            }
        }
        let of = |x: u32| f64::from(x) / f64::from(published);
        (of(under_embargo), of(corrected))
    }

    #[test]
    fn the_embargoed_share_is_honoured() {
        for share in [0.0, 0.001, 0.01, 0.05, 0.25, 0.5] {
            let (under_embargo, corrected) = shares(EmbargoShare::parse(share).unwrap());
            assert!(
                (under_embargo - share).abs() < 1e-5,
                "{share}: {under_embargo}"
            );
            assert!(
                (corrected - 18.0 / 910.0).abs() < 1e-5,
                "{share}: {corrected}"
            );
        }
    }

    #[test]
    fn the_default_share_is_the_seed_as_it_was() {
        let default = EmbargoShare::default();
        assert!((default.share() - 10.0 / 910.0).abs() < 1e-12);
        for draw in 0..1000 {
            for spread in [0.0, 0.5, 1.0 - 1.0 / (1u64 << 40) as f64] {
                let expected = match draw {
                    90..=99 => Fate::Embargoed,
                    100..=117 => Fate::Corrected,
                    118.. => Fate::Published,
                    _ => continue,
                };
                assert_eq!(fate(draw, spread, default), expected, "{draw} {spread}");
            }
        }
    }

    #[test]
    fn shares_outside_zero_to_a_half_are_refused() {
        for bad in [-0.01, 0.51, 1.0, f64::NAN] {
            let err = EmbargoShare::parse(bad).unwrap_err();
            assert!(err.contains("from 0 to 0.5"), "{err}");
        }
        assert_eq!(EmbargoShare::parse(0.0).unwrap().share(), 0.0);
    }

    #[test]
    fn spreads_are_within_the_slot_and_vary() {
        let values: Vec<f64> = (0..10_000).map(spread).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert!((mean - 0.5).abs() < 0.02, "{mean}");
    }
}
