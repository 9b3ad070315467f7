//! Colours as `#RRGGBB` and the WCAG 2.x contrast maths used by the badge editor. Shared with the
//! browser so the contrast verdict updates as the person picks colours.

use crate::error::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An opaque sRGB colour, written `#RRGGBB` in upper case. `#RGB` is accepted and expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HexColor([u8; 3]);

impl HexColor {
    pub const BLACK: HexColor = HexColor([0, 0, 0]);
    pub const WHITE: HexColor = HexColor([255, 255, 255]);

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        HexColor([r, g, b])
    }

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let s = input.trim();
        let digits =
            s.strip_prefix('#').ok_or_else(|| Invalid::format(format!("Write a colour as #RRGGBB (got {s:?})")))?;
        let nibble = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        let bytes = digits.as_bytes();
        let valid = bytes.iter().all(|&c| nibble(c).is_some());
        match (bytes.len(), valid) {
            (6, true) => {
                let byte = |i: usize| nibble(bytes[i]).unwrap() << 4 | nibble(bytes[i + 1]).unwrap();
                Ok(HexColor([byte(0), byte(2), byte(4)]))
            }
            (3, true) => {
                let byte = |i: usize| nibble(bytes[i]).unwrap() * 17;
                Ok(HexColor([byte(0), byte(1), byte(2)]))
            }
            _ => Err(Invalid::format(format!("Write a colour as #RRGGBB, like #1E40AF (got {s:?})"))),
        }
    }

    /// Relative luminance as WCAG 2.x defines it (sRGB linearised, Rec. 709 weights).
    pub fn luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// The WCAG contrast ratio between two colours, from 1 to 21, the same either way round.
    pub fn contrast_ratio(self, other: HexColor) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }

    /// This colour mixed towards `target` by `amount` (0 = unchanged, 1 = target).
    fn mix(self, target: HexColor, amount: f64) -> HexColor {
        let channel = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
        HexColor([channel(self.0[0], target.0[0]), channel(self.0[1], target.0[1]), channel(self.0[2], target.0[2])])
    }

    /// The text colour closest to `self` (darkened or lightened, so it keeps its hue) that
    /// reaches `target` contrast on `background`; black or white if neither direction can.
    pub fn readable_on(self, background: HexColor, target: f64) -> HexColor {
        if self.contrast_ratio(background) >= target {
            return self;
        }
        let candidates = [HexColor::BLACK, HexColor::WHITE].map(|end| {
            // the least mix towards `end` that reaches the target (contrast grows with the mix)
            (1..=100)
                .map(|step| self.mix(end, f64::from(step) / 100.0))
                .find(|c| c.contrast_ratio(background) >= target)
                .map(|c| (c, distance(self, c)))
        });
        candidates.into_iter().flatten().min_by_key(|&(_, d)| d).map(|(c, _)| c).unwrap_or_else(|| {
            if HexColor::BLACK.contrast_ratio(background) >= HexColor::WHITE.contrast_ratio(background) {
                HexColor::BLACK
            } else {
                HexColor::WHITE
            }
        })
    }
}

fn distance(a: HexColor, b: HexColor) -> u32 {
    a.0.iter().zip(b.0.iter()).map(|(&x, &y)| (i32::from(x) - i32::from(y)).unsigned_abs()).sum()
}

impl fmt::Display for HexColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02X}{g:02X}{b:02X}")
    }
}

impl TryFrom<String> for HexColor {
    type Error = Invalid;
    fn try_from(s: String) -> Result<Self, Invalid> {
        HexColor::parse(&s)
    }
}

impl From<HexColor> for String {
    fn from(c: HexColor) -> String {
        c.to_string()
    }
}

/// How text of one colour reads on another, by WCAG 2.x success criteria 1.4.3 and 1.4.6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContrastVerdict {
    /// At least 7:1: enhanced contrast for any text.
    Aaa,
    /// At least 4.5:1: minimum contrast for normal text.
    Aa,
    /// At least 3:1: enough only for large text.
    AaLargeOnly,
    Fail,
}

impl ContrastVerdict {
    pub const AA_MIN: f64 = 4.5;

    pub fn of(ratio: f64) -> Self {
        if ratio >= 7.0 {
            ContrastVerdict::Aaa
        } else if ratio >= Self::AA_MIN {
            ContrastVerdict::Aa
        } else if ratio >= 3.0 {
            ContrastVerdict::AaLargeOnly
        } else {
            ContrastVerdict::Fail
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ContrastVerdict::Aaa => "AAA",
            ContrastVerdict::Aa => "AA",
            ContrastVerdict::AaLargeOnly => "AA large text only",
            ContrastVerdict::Fail => "Fails",
        }
    }

    pub fn is_readable(self) -> bool {
        matches!(self, ContrastVerdict::Aaa | ContrastVerdict::Aa)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> HexColor {
        HexColor::parse(s).unwrap()
    }

    #[test]
    fn parses_and_normalises_case() {
        assert_eq!(c("#1e40af").to_string(), "#1E40AF");
        assert_eq!(c(" #FFFFFF ").to_string(), "#FFFFFF");
    }

    #[test]
    fn expands_short_form() {
        assert_eq!(c("#f0a").to_string(), "#FF00AA");
        assert_eq!(c("#000").to_string(), "#000000");
    }

    #[test]
    fn refuses_malformed_colours() {
        for bad in ["", "#", "fff", "#ff", "#ffff", "#fffffff", "#gggggg", "red", "#12345g", "rgb(0,0,0)", "#+12345"] {
            assert!(HexColor::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_uses_the_hex_form() {
        let json = serde_json::to_string(&c("#abc")).unwrap();
        assert_eq!(json, "\"#AABBCC\"");
        assert!(serde_json::from_str::<HexColor>("\"blue\"").is_err());
    }

    fn ratio(a: &str, b: &str) -> f64 {
        (c(a).contrast_ratio(c(b)) * 100.0).round() / 100.0
    }

    #[test]
    fn contrast_of_known_wcag_pairs() {
        assert_eq!(ratio("#000000", "#FFFFFF"), 21.0);
        assert_eq!(ratio("#FFFFFF", "#FFFFFF"), 1.0);
        // the classic threshold greys on white
        assert_eq!(ratio("#767676", "#FFFFFF"), 4.54);
        assert_eq!(ratio("#777777", "#FFFFFF"), 4.48);
        assert_eq!(ratio("#595959", "#FFFFFF"), 7.0);
        // primaries
        assert_eq!(ratio("#FF0000", "#FFFFFF"), 4.0);
        assert_eq!(ratio("#0000FF", "#FFFFFF"), 8.59);
        assert_eq!(ratio("#008000", "#FFFFFF"), 5.14);
        // symmetric
        assert_eq!(ratio("#FFFFFF", "#0000FF"), ratio("#0000FF", "#FFFFFF"));
    }

    #[test]
    fn verdicts_follow_the_thresholds() {
        assert_eq!(ContrastVerdict::of(21.0), ContrastVerdict::Aaa);
        assert_eq!(ContrastVerdict::of(7.0), ContrastVerdict::Aaa);
        assert_eq!(ContrastVerdict::of(6.99), ContrastVerdict::Aa);
        assert_eq!(ContrastVerdict::of(4.5), ContrastVerdict::Aa);
        assert_eq!(ContrastVerdict::of(4.49), ContrastVerdict::AaLargeOnly);
        assert_eq!(ContrastVerdict::of(3.0), ContrastVerdict::AaLargeOnly);
        assert_eq!(ContrastVerdict::of(2.99), ContrastVerdict::Fail);
        assert!(!ContrastVerdict::AaLargeOnly.is_readable());
    }

    #[test]
    fn readable_text_keeps_a_good_colour_as_it_is() {
        assert_eq!(c("#FFFFFF").readable_on(c("#1E40AF"), 4.5), c("#FFFFFF"));
    }

    #[test]
    fn readable_text_reaches_aa_and_stays_close_to_the_pick() {
        for (text, bg) in [
            ("#FFEE99", "#FFFFFF"),
            ("#777777", "#FFFFFF"),
            ("#FF0000", "#FF3333"),
            ("#FFFFFF", "#FACC15"),
            ("#3B82F6", "#1E3A8A"),
        ] {
            let fixed = c(text).readable_on(c(bg), 4.5);
            let r = fixed.contrast_ratio(c(bg));
            assert!(r >= 4.5, "{text} on {bg} → {fixed} only {r:.2}");
            assert_ne!(fixed, c(text), "{text} on {bg} needed a change");
        }
        // a red on white darkens to a deeper red, not to black
        let fixed = c("#FF0000").readable_on(c("#FFFFFF"), 4.5);
        let [r, g, b] = fixed.0;
        assert!(r > 150 && g < 40 && b < 40, "{fixed}");
    }

    #[test]
    fn mid_grey_background_still_gets_a_readable_colour() {
        let bg = c("#777777");
        let fixed = c("#808080").readable_on(bg, 4.5);
        assert!(fixed.contrast_ratio(bg) >= 4.5, "{fixed}");
    }
}
