//! A member's badge panel, opened from their row.

use super::RowTools;
use crate::assignments::BadgeChoice;
use crate::components::badge::BadgeChip;
use crate::components::classes::BUTTON;
use crate::components::filters::INPUT;
use crate::members::ProfileBadge;
use leptos::prelude::*;
use uuid::Uuid;

/// A member's badges: assign one (found by typing part of its title), with an optional reason,
/// or remove one they hold.
#[component]
pub(super) fn BadgePanel(member_id: Uuid, name: String, held: Vec<ProfileBadge>, tools: RowTools) -> impl IntoView {
    let RowTools { assign, unassign, choices, badges_of, .. } = tools;
    let find = RwSignal::new(String::new());
    let held_ids: Vec<Uuid> = held.iter().map(|b| b.id).collect();
    let select_id = format!("assign-{member_id}");
    let find_id = format!("find-{member_id}");
    let reason_id = format!("reason-{member_id}");
    view! {
        <div role="group" aria-label=format!("Badges of {name}")
            class="mt-2 w-80 space-y-3 rounded-md border border-slate-300 bg-white p-3 text-left text-sm shadow-sm dark:border-slate-600 dark:bg-slate-900">
            <ActionForm action=assign attr:class="space-y-2">
                <input type="hidden" name="member_id" value=member_id.to_string()/>
                <label for=find_id.clone() class="block font-medium">"Find a badge"</label>
                <input id=find_id type="search" autocomplete="off" placeholder="Part of the title"
                    on:input:target=move |ev| find.set(ev.target().value())
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default() }
                    class=format!("{INPUT} w-full")/>
                <label for=select_id.clone() class="block font-medium">"Badge to assign"</label>
                <Suspense fallback=|| view! { <p>"Loading badges…"</p> }>
                    {move || Suspend::new({
                        let held_ids = held_ids.clone();
                        let select_id = select_id.clone();
                        // read before awaiting, so that typing re-runs the filter
                        let needle = find.get().to_lowercase();
                        async move {
                            let all = choices.await.unwrap_or_default();
                            let open: Vec<BadgeChoice> = all
                                .into_iter()
                                .filter(|b| !held_ids.contains(&b.id) && b.title.to_lowercase().contains(&needle))
                                .collect();
                            if open.is_empty() {
                                view! { <p id=select_id class="text-slate-600 dark:text-slate-300">"No other badge matches."</p> }.into_any()
                            } else {
                                view! {
                                    <select id=select_id name="badge_id" class=format!("{INPUT} w-full")>
                                        {open.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.title}</option> }).collect_view()}
                                    </select>
                                }.into_any()
                            }
                        }
                    })}
                </Suspense>
                <label for=reason_id.clone() class="block font-medium">"Reason (optional)"</label>
                <input id=reason_id name="reason" maxlength="500" class=format!("{INPUT} w-full")/>
                <button type="submit" class=BUTTON>"Assign"</button>
            </ActionForm>
            {(!held.is_empty()).then(|| view! {
                <ul class="space-y-1" aria-label=format!("Badges {name} holds")>
                    {held.into_iter().map(|b| {
                        let label = format!("Remove {} from {name}", b.title);
                        view! {
                            <li class="flex items-center justify-between gap-2">
                                <BadgeChip title=b.title background=b.background_color text=b.text_color icon=b.icon/>
                                <ActionForm action=unassign>
                                    <input type="hidden" name="badge_id" value=b.id.to_string()/>
                                    <input type="hidden" name="member_id" value=member_id.to_string()/>
                                    <button type="submit" class=BUTTON aria-label=label>"Remove"</button>
                                </ActionForm>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <button type="button" class=BUTTON on:click=move |_| badges_of.set(None)>"Close"</button>
        </div>
    }
}
