//! Class names shared by many pages, so that buttons look the same everywhere. Each is one
//! utility defined in `style/tailwind.css` (its class list is there), so the HTML carries a
//! short name instead of the whole list on every button.

/// A secondary (outlined) button or button-like link.
pub const BUTTON: &str = "btn";
/// The page's main action.
pub const PRIMARY: &str = "btn-primary";
/// A confirmed destructive action.
pub const DANGER: &str = "btn-danger";
/// The box of an empty list.
pub const EMPTY: &str = "empty-state";
