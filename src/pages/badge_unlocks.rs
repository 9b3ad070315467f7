//! On a badge's edit page: the members-only pages this badge was chosen to open.

use crate::components::status::Loading;
use crate::member_pages::api::pages_of_badge;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

const LINK: &str = "font-medium text-indigo-700 underline dark:text-indigo-300";

#[component]
pub fn BadgeUnlocks() -> impl IntoView {
    let params = use_params_map();
    let badge_id = params.with_untracked(|p| p.get("id")).and_then(|id| Uuid::parse_str(&id).ok());
    let pages = Resource::new(
        move || badge_id,
        |id| async move {
            match id {
                Some(id) => pages_of_badge(id).await,
                None => Ok(Vec::new()),
            }
        },
    );
    // read once: a closure here would be called on every walk of the page during server
    // rendering, building the Transition below (and its id) more than once
    badge_id.map(|_| view! {
        <section aria-labelledby="unlocks-heading" class="mt-10 max-w-xl">
            <h2 id="unlocks-heading" class="text-lg font-semibold">"Pages this badge opens"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    let pages = pages.await.unwrap_or_default();
                    if pages.is_empty() {
                        view! {
                            <p class="mt-2 text-sm text-slate-600 dark:text-slate-300">
                                "None yet. Choose this badge in a page's editor ("
                                <a href="/dashboard/pages" class=LINK>"Pages"</a>
                                ") to let its holders read it; the badge must grant page permissions."
                            </p>
                        }.into_any()
                    } else {
                        view! {
                            <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">"Holders read these pages while the badge grants page permissions."</p>
                            <ul class="mt-3 list-inside list-disc space-y-1" aria-label="Pages this badge opens">
                                {pages.into_iter().map(|p| view! {
                                    <li>
                                        <a href=format!("/pages/{}", p.slug) class=LINK>{p.title.clone()}</a>
                                        " · "
                                        <a href=format!("/dashboard/pages/{}", p.id) class="text-sm text-indigo-700 underline dark:text-indigo-300"
                                            aria-label=format!("Edit the page {}", p.title)>"Edit page"</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                })}
            </Transition>
        </section>
    })
}
