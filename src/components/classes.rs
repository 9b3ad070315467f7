//! Class lists shared by many pages, so that buttons look the same everywhere.

/// A secondary (outlined) button or button-like link.
pub const BUTTON: &str = "rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-40 dark:border-slate-600 dark:hover:bg-slate-800";
/// The page's main action.
pub const PRIMARY: &str = "rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-slate-950";
/// A confirmed destructive action.
pub const DANGER: &str = "rounded-md bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-600 focus:outline-none focus-visible:ring-2 focus-visible:ring-red-500";
/// The box of an empty list.
pub const EMPTY: &str = "mt-6 rounded-lg border border-dashed border-slate-300 p-8 text-center text-slate-600 dark:border-slate-700 dark:text-slate-300";
