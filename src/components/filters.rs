//! A list's filter form (a GET form, so filters live in the URL and work without JavaScript):
//! the current value of a query parameter, a search box and labelled selects.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub const INPUT: &str = "mt-1 block rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-slate-600 dark:bg-slate-900";

/// The URL's `key` parameter, when it has a non-blank value.
pub fn query_param(key: &'static str) -> Memo<Option<String>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get(key)).filter(|s| !s.trim().is_empty()))
}

/// A labelled search box showing the current search.
#[component]
pub fn SearchField(label: &'static str, name: &'static str, current: Memo<Option<String>>) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">{label}</label>
            <input id=id name=name type="search" value=move || current.get() class=format!("{INPUT} w-64")/>
        </div>
    }
}

/// A labelled select; `options` are (value, label) pairs, the current one selected.
#[component]
pub fn FilterSelect(
    label: &'static str,
    name: &'static str,
    options: &'static [(&'static str, &'static str)],
    current: Memo<Option<String>>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">{label}</label>
            <select id=id name=name class=INPUT>
                {options.iter().map(|&(value, text)| view! {
                    <option value=value selected=move || current.get().as_deref() == Some(value)>{text}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
