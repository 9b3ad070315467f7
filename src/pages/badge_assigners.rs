//! On a badge's edit page: the members the owner trusts to assign this badge themselves.

use crate::assignments::api::{badge_assigners, AddBadgeAssigner, RemoveBadgeAssigner};
use crate::components::classes::{BUTTON, DANGER};
use crate::components::filters::INPUT;
use crate::components::form::{field_error, form_error, FormAlert};
use crate::components::status::Loading;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[component]
pub fn BadgeAssigners() -> impl IntoView {
    let params = use_params_map();
    let badge_id = Memo::new(move |_| params.with(|p| p.get("id")).and_then(|id| Uuid::parse_str(&id).ok()));
    let add = ServerAction::<AddBadgeAssigner>::new();
    let remove = ServerAction::<RemoveBadgeAssigner>::new();
    let assigners = Resource::new(
        move || (badge_id.get(), add.version().get(), remove.version().get()),
        |(id, _, _)| async move {
            match id {
                Some(id) => badge_assigners(id).await,
                None => Ok(Vec::new()),
            }
        },
    );
    let added = move || add.value().get();
    let member_error = field_error(added, "member");
    // read once: a closure here would be called on every walk of the page during server
    // rendering, building the Transition below (and its id) more than once
    badge_id.get_untracked().map(|id| view! {
            <section aria-labelledby="assigners-heading" class="mt-10 max-w-xl">
                <h2 id="assigners-heading" class="text-lg font-semibold">"Who may assign this badge"</h2>
                <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
                    "Besides admins, these members see an “Assign badge” control on other members' profiles, for this badge only."
                </p>
                <Transition fallback=Loading>
                    {move || Suspend::new(async move {
                        let list = assigners.await.unwrap_or_default();
                        if list.is_empty() {
                            view! { <p class="mt-3 text-sm text-slate-600 dark:text-slate-300">"Only admins can assign it."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Assigners">
                                    {list.into_iter().map(|a| view! {
                                        <li class="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                                            <a href=format!("/members/{}", a.slug) class="font-medium underline">{a.name.clone()}</a>
                                            <ActionForm action=remove>
                                                <input type="hidden" name="badge_id" value=id.to_string()/>
                                                <input type="hidden" name="member_id" value=a.member_id.to_string()/>
                                                <button type="submit" class=DANGER aria-label=format!("Stop {} assigning this badge", a.name)>"Remove"</button>
                                            </ActionForm>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    })}
                </Transition>
                <ActionForm action=add attr:class="mt-3 flex flex-wrap items-end gap-3" attr:aria-label="Add an assigner">
                    <input type="hidden" name="badge_id" value=id.to_string()/>
                    <div>
                        <label for="assigner-member" class="block text-sm font-medium">"Member's email or profile address"</label>
                        <input id="assigner-member" name="member" class=INPUT aria-describedby="assigner-member-error"
                            aria-invalid=move || member_error.get().is_some().then_some("true")/>
                        <p id="assigner-member-error" class="mt-1 text-sm text-red-700 dark:text-red-300">{move || member_error.get()}</p>
                    </div>
                    <button type="submit" class=BUTTON>"Let them assign it"</button>
                    <FormAlert message=form_error(added)/>
                </ActionForm>
            </section>
    })
}
