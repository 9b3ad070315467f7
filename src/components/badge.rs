//! A badge as members see it on a profile.

use crate::domain::{IconRef, IconSource};
use leptos::prelude::*;

/// The badge chip. Colours are the owner's choice, so they go through `style`, never through
/// generated class names.
#[component]
pub fn BadgeChip(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] background: Signal<String>,
    #[prop(into)] text: Signal<String>,
    #[prop(into, optional)] icon: Signal<Option<IconRef>>,
) -> impl IntoView {
    view! {
        <span
            class="inline-flex max-w-full items-center gap-1.5 rounded-full px-3 py-1 text-sm font-semibold shadow-sm ring-1 ring-black/10"
            style:background-color=move || background.get()
            style:color=move || text.get()
        >
            {move || icon.get().and_then(|i| match i.source {
                IconSource::Url(url) => Some(view! { <img src=url alt=i.alt_text class="h-4 w-4 shrink-0 rounded-sm object-contain"/> }.into_any()),
                // library icons and uploads are served by the server (next step of the badges work)
                IconSource::Library(_) | IconSource::Upload(_) => None,
            })}
            <span class="truncate">{move || title.get()}</span>
        </span>
    }
}
