//! The list's keyboard: which key moves the selection where.

/// A move of the selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Next,
    Previous,
    PageDown,
    PageUp,
    First,
    Last,
}

/// The keys of the list, for the `?` overlay: (keys, what they do).
pub const HELP: [(&str, &str); 9] = [
    ("↓ or j", "next session"),
    ("↑ or k", "previous session"),
    ("Page Down / Page Up", "a screenful down / up"),
    ("Home / End", "first / last session"),
    ("Enter", "open the selected session"),
    ("Esc", "close the session, back to the list"),
    ("/", "go to the filter"),
    ("?", "show or hide these keys"),
    ("Click a column heading", "sort by it; again to reverse"),
];

impl Move {
    /// The move a key (`KeyboardEvent.key`) stands for in the list.
    pub fn from_key(key: &str) -> Option<Move> {
        Some(match key {
            "ArrowDown" | "j" => Move::Next,
            "ArrowUp" | "k" => Move::Previous,
            "PageDown" => Move::PageDown,
            "PageUp" => Move::PageUp,
            "Home" => Move::First,
            "End" => Move::Last,
            _ => return None,
        })
    }

    /// The selected position after this move, in a list of `len` rows of which `page` fit on a
    /// screen. With nothing selected, any move selects the first row (`Last`/`PageUp` too: the
    /// user has not been anywhere yet, and End then goes to the end). An empty list selects
    /// nothing; a position past the end is brought back inside.
    pub fn apply(self, current: Option<usize>, len: usize, page: usize) -> Option<usize> {
        let last = len.checked_sub(1)?;
        let page = page.max(1);
        let Some(at) = current.map(|c| c.min(last)) else {
            return Some(if self == Move::Last { last } else { 0 });
        };
        Some(match self {
            Move::Next => (at + 1).min(last),
            Move::Previous => at.saturating_sub(1),
            Move::PageDown => at.saturating_add(page).min(last),
            Move::PageUp => at.saturating_sub(page),
            Move::First => 0,
            Move::Last => last,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_moves() {
        assert_eq!(Move::from_key("j"), Some(Move::Next));
        assert_eq!(Move::from_key("ArrowDown"), Some(Move::Next));
        assert_eq!(Move::from_key("k"), Some(Move::Previous));
        assert_eq!(Move::from_key("ArrowUp"), Some(Move::Previous));
        assert_eq!(Move::from_key("Home"), Some(Move::First));
        assert_eq!(Move::from_key("End"), Some(Move::Last));
        assert_eq!(Move::from_key("J"), None);
        assert_eq!(Move::from_key("Enter"), None);
    }

    #[test]
    fn moves_stay_inside_the_list() {
        assert_eq!(Move::Next.apply(None, 0, 10), None);
        assert_eq!(Move::Next.apply(Some(3), 0, 10), None);
        assert_eq!(Move::Next.apply(None, 5, 10), Some(0));
        assert_eq!(Move::Last.apply(None, 5, 10), Some(4));
        assert_eq!(Move::PageUp.apply(None, 5, 10), Some(0));
        assert_eq!(Move::Next.apply(Some(3), 5, 10), Some(4));
        assert_eq!(Move::Next.apply(Some(4), 5, 10), Some(4));
        assert_eq!(Move::Previous.apply(Some(0), 5, 10), Some(0));
        assert_eq!(Move::Previous.apply(Some(99), 5, 10), Some(3));
        assert_eq!(Move::PageDown.apply(Some(1), 100, 10), Some(11));
        assert_eq!(Move::PageDown.apply(Some(95), 100, 10), Some(99));
        assert_eq!(Move::PageDown.apply(Some(1), 100, 0), Some(2));
        assert_eq!(Move::PageUp.apply(Some(5), 100, 10), Some(0));
        assert_eq!(Move::First.apply(Some(50), 100, 10), Some(0));
        assert_eq!(Move::Last.apply(Some(50), 100, 10), Some(99));
        assert_eq!(
            Move::PageDown.apply(Some(usize::MAX), usize::MAX, usize::MAX),
            Some(usize::MAX - 1)
        );
    }
}
