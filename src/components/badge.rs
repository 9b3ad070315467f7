//! A badge as members see it on a profile.

use crate::domain::{IconRef, IconSource};
use crate::icons::{library_icon_path, upload_path};
use leptos::prelude::*;

const IMAGE_CLASS: &str = "h-4 w-4 shrink-0 rounded-sm object-contain";

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
            class="badge-chip"
            style:background-color=move || background.get()
            style:color=move || text.get()
        >
            {move || icon.get().map(|i| match i.source {
                // a mask, so the icon is drawn in the badge's text colour
                IconSource::Library(name) => {
                    let described = !i.alt_text.is_empty();
                    view! {
                        <span class="badge-icon h-4 w-4 shrink-0" style=format!("--icon: url({})", library_icon_path(&name))
                            role=described.then_some("img") aria-label=described.then_some(i.alt_text)
                            aria-hidden=(!described).then_some("true")></span>
                    }.into_any()
                }
                IconSource::Upload(id) => view! { <img src=upload_path(id) alt=i.alt_text class=IMAGE_CLASS/> }.into_any(),
                IconSource::Url(url) => view! { <img src=url alt=i.alt_text class=IMAGE_CLASS referrerpolicy="no-referrer"/> }.into_any(),
            })}
            <span class="truncate">{move || title.get()}</span>
        </span>
    }
}
