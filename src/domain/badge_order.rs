//! Display order: where a badge goes when it is moved, computed on the list of ids.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where to move a badge. First/Last/After are the REST contract's; Up/Down are the list page's
/// keyboard buttons (one place towards the start or the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MoveTo {
    First,
    Last,
    After(Uuid),
    /// Drag and drop: dropped onto a badge further up the list.
    Before(Uuid),
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    /// The id named is not a badge.
    Unknown(Uuid),
    /// A badge cannot go after itself.
    AfterItself,
}

/// A change of the display order, as the store applies it to the current order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reorder {
    Move(Uuid, MoveTo),
    /// These badges first, in this order; the others after them, as they were.
    SetFirst(Vec<Uuid>),
}

impl MoveTo {
    /// Parses the list page's form value: `first`, `last`, `up`, `down`, `after:ID`, `before:ID`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("unknown move {s:?}");
        Ok(match s {
            "first" => MoveTo::First,
            "last" => MoveTo::Last,
            "up" => MoveTo::Up,
            "down" => MoveTo::Down,
            _ => match s.split_once(':') {
                Some(("after", id)) => MoveTo::After(id.parse().map_err(|_| bad())?),
                Some(("before", id)) => MoveTo::Before(id.parse().map_err(|_| bad())?),
                _ => return Err(bad()),
            },
        })
    }
}

impl Reorder {
    pub fn apply(&self, order: &[Uuid]) -> Result<Vec<Uuid>, OrderError> {
        match self {
            Reorder::Move(id, to) => moved(order, *id, *to),
            Reorder::SetFirst(ids) => with_first(order, ids),
        }
    }
}

/// `order` with `moving` moved as `to` says. Moving past either end leaves it at that end.
pub fn moved(order: &[Uuid], moving: Uuid, to: MoveTo) -> Result<Vec<Uuid>, OrderError> {
    let from = order.iter().position(|&id| id == moving).ok_or(OrderError::Unknown(moving))?;
    let mut rest: Vec<Uuid> = order.to_vec();
    rest.remove(from);
    let at = match to {
        MoveTo::First => 0,
        MoveTo::Last => rest.len(),
        MoveTo::Up => from.saturating_sub(1),
        MoveTo::Down => (from + 1).min(rest.len()),
        MoveTo::After(anchor) | MoveTo::Before(anchor) if anchor == moving => return Err(OrderError::AfterItself),
        MoveTo::Before(anchor) => rest.iter().position(|&id| id == anchor).ok_or(OrderError::Unknown(anchor))?,
        MoveTo::After(anchor) => rest.iter().position(|&id| id == anchor).ok_or(OrderError::Unknown(anchor))? + 1,
    };
    rest.insert(at, moving);
    Ok(rest)
}

/// `order` with `first` at the front in the given order; every other badge keeps its relative
/// place after them. Duplicates in `first` count once.
pub fn with_first(order: &[Uuid], first: &[Uuid]) -> Result<Vec<Uuid>, OrderError> {
    let mut front: Vec<Uuid> = Vec::with_capacity(first.len());
    for &id in first {
        if !order.contains(&id) {
            return Err(OrderError::Unknown(id));
        }
        if !front.contains(&id) {
            front.push(id);
        }
    }
    let rest = order.iter().copied().filter(|id| !front.contains(id));
    Ok(front.iter().copied().chain(rest).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    fn names(order: &[Uuid]) -> Vec<u128> {
        order.iter().map(|u| u.as_u128()).collect()
    }

    #[test]
    fn first_last_after() {
        let o = ids(4);
        assert_eq!(names(&moved(&o, o[2], MoveTo::First).unwrap()), [3, 1, 2, 4]);
        assert_eq!(names(&moved(&o, o[0], MoveTo::Last).unwrap()), [2, 3, 4, 1]);
        assert_eq!(names(&moved(&o, o[0], MoveTo::After(o[2])).unwrap()), [2, 3, 1, 4]);
        assert_eq!(names(&moved(&o, o[3], MoveTo::After(o[0])).unwrap()), [1, 4, 2, 3]);
    }

    #[test]
    fn before_places_ahead_of_the_anchor() {
        let o = ids(4);
        assert_eq!(names(&moved(&o, o[3], MoveTo::Before(o[1])).unwrap()), [1, 4, 2, 3]);
        assert_eq!(names(&moved(&o, o[2], MoveTo::Before(o[0])).unwrap()), [3, 1, 2, 4]);
    }

    #[test]
    fn up_and_down_stop_at_the_ends() {
        let o = ids(3);
        assert_eq!(names(&moved(&o, o[1], MoveTo::Up).unwrap()), [2, 1, 3]);
        assert_eq!(names(&moved(&o, o[1], MoveTo::Down).unwrap()), [1, 3, 2]);
        assert_eq!(names(&moved(&o, o[0], MoveTo::Up).unwrap()), [1, 2, 3]);
        assert_eq!(names(&moved(&o, o[2], MoveTo::Down).unwrap()), [1, 2, 3]);
    }

    #[test]
    fn unknown_ids_and_self_anchors_are_refused() {
        let o = ids(2);
        let stranger = Uuid::from_u128(99);
        assert_eq!(moved(&o, stranger, MoveTo::First), Err(OrderError::Unknown(stranger)));
        assert_eq!(moved(&o, o[0], MoveTo::After(stranger)), Err(OrderError::Unknown(stranger)));
        assert_eq!(moved(&o, o[0], MoveTo::After(o[0])), Err(OrderError::AfterItself));
    }

    #[test]
    fn parses_form_values() {
        let id = Uuid::from_u128(7);
        assert_eq!(MoveTo::parse("up"), Ok(MoveTo::Up));
        assert_eq!(MoveTo::parse(&format!("after:{id}")), Ok(MoveTo::After(id)));
        assert_eq!(MoveTo::parse(&format!("before:{id}")), Ok(MoveTo::Before(id)));
        assert!(MoveTo::parse("sideways").is_err());
        assert!(MoveTo::parse("after:nope").is_err());
    }

    #[test]
    fn a_given_order_goes_first_and_the_rest_keep_theirs() {
        let o = ids(5);
        assert_eq!(names(&with_first(&o, &[o[4], o[2]]).unwrap()), [5, 3, 1, 2, 4]);
        assert_eq!(names(&with_first(&o, &[o[1], o[1]]).unwrap()), [2, 1, 3, 4, 5]);
        assert!(with_first(&o, &[Uuid::from_u128(42)]).is_err());
    }
}
