//! The admin member list: search, filters, sort, 50 a page; each row with the member's badges
//! and the actions an admin takes on a member (approve, block, mute, edit, delete).

use super::assign_runs::{watch_runs, AllMatching, AssignmentFields, Filters, RunsPanel};
use crate::assignments::api::AssignAllMatching;
use crate::assignments::api::{badge_choices, AssignBadge, BulkAssign, UnassignBadge};
use crate::assignments::BadgeChoice;
use crate::components::badge::BadgeChip;
use crate::components::classes::{BUTTON, DANGER, EMPTY, PRIMARY};
use crate::components::filters::{query_param, FilterSelect, SearchField, INPUT};
use crate::components::form::{form_error, FormAlert, FormSuccess};
use crate::components::pager::{page_from_query, Pager};
use crate::components::status::{ErrorList, Loading};
use crate::domain::{ActivityStatus, MemberStatus, PrivacyStatus};
use crate::error::AppError;
use crate::members::api::{list_members, DeleteMember, MemberAction};
use crate::members::{MemberRow, ProfileBadge};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn MembersPage() -> impl IntoView {
    let page = page_from_query();
    let search = query_param("q");
    let status = query_param("status");
    let privacy = query_param("privacy");
    let sort = query_param("sort");
    let holds = query_param("holds");
    let lacks = query_param("lacks");
    let act = ServerAction::<MemberAction>::new();
    let delete = ServerAction::<DeleteMember>::new();
    let assign = ServerAction::<AssignBadge>::new();
    let unassign = ServerAction::<UnassignBadge>::new();
    let bulk = ServerAction::<BulkAssign>::new();
    let start_run = ServerAction::<AssignAllMatching>::new();
    let (runs, runs_finished) = watch_runs(Signal::derive(move || start_run.version().get()));
    let filters = Filters { search, status, privacy, holds, lacks };
    let changes = move || {
        (
            act.version().get(),
            delete.version().get(),
            assign.version().get(),
            unassign.version().get(),
            bulk.version().get(),
            runs_finished.get(),
        )
    };
    let members = Resource::new(
        move || {
            ((search.get(), status.get(), privacy.get(), holds.get(), lacks.get(), sort.get()), page.get(), changes())
        },
        |((search, status, privacy, holds, lacks, sort), page, _)| {
            list_members(search, status, privacy, holds, lacks, sort, page)
        },
    );
    let choices = Resource::new(|| (), |_| badge_choices());
    let confirming = RwSignal::new(None::<Uuid>);
    let badges_of = RwSignal::new(None::<Uuid>);
    let selected = RwSignal::new(Vec::<Uuid>::new());
    let tools = RowTools { act, delete, assign, unassign, choices, confirming, badges_of, selected };
    // a finished bulk run empties the selection
    Effect::new(move |_| {
        if matches!(bulk.value().get(), Some(Ok(_))) {
            selected.set(Vec::new());
        }
    });
    let bulk_report = Signal::derive(move || bulk.value().get().and_then(Result::ok).map(|report| report.summary()));
    // the outcome of the last assignment, in words, whichever row it came from
    let assignment_report = Signal::derive(move || {
        let latest = if assign.version().get() >= unassign.version().get() {
            assign.value().get()
        } else {
            unassign.value().get()
        };
        latest.and_then(Result::ok).map(|report| report.summary())
    });
    let filtered = move || {
        search.get().is_some()
            || [status.get(), privacy.get(), holds.get(), lacks.get()].into_iter().flatten().any(|v| v != "any")
    };
    view! {
        <Title text="Members"/>
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight">"Members"</h1>
            <a href="/dashboard/members/new" class=PRIMARY>"New member"</a>
        </div>
        // the badge list is read here once, for the filters and the bulk bar together: one
        // resource under several Suspense boundaries upsets hydration (leptos #4851)
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let badges = choices.await.unwrap_or_default();
                view! {
            <form method="get" role="search" aria-label="Filter members" class="mt-4 flex flex-wrap items-end gap-3">
                <SearchField label="Name, nickname or email" name="q" current=search/>
                <FilterSelect label="Status" name="status" current=status
                    options=&[("any", "Any"), ("PENDING", "Waiting for approval"), ("APPROVED", "Approved"), ("BLOCKED", "Blocked"), ("OFFLINE", "Offline")]/>
                <FilterSelect label="Community" name="privacy" current=privacy
                    options=&[("any", "Any"), ("PUBLIC", "Joined (public)"), ("PRIVATE", "Private")]/>
                <BadgeFilter label="Holds badge" name="holds" current=holds badges=badges.clone()/>
                <BadgeFilter label="Does not hold" name="lacks" current=lacks badges=badges.clone()/>
                <FilterSelect label="Sort by" name="sort" current=sort
                    options=&[("newest", "Newest first"), ("nickname", "Nickname"), ("name", "Name"), ("last_login", "Last login")]/>
                <button type="submit" class=BUTTON>"Apply"</button>
            </form>
            <FormAlert message=form_error(move || act.value().get())/>
            <FormAlert message=form_error(move || delete.value().get())/>
            <FormAlert message=form_error(move || assign.value().get())/>
            <FormAlert message=form_error(move || unassign.value().get())/>
            <FormSuccess message=assignment_report/>
            <BulkBar bulk badges=badges.clone() selected report=bulk_report/>
            <AllMatching action=start_run badges filters/>
                }
            })}
        </Suspense>
        <RunsPanel runs/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    members.await.map(|p| {
                        if p.items.is_empty() && p.page == 1 {
                            return if filtered() {
                                view! { <p class=EMPTY>"No member matches these filters."</p> }.into_any()
                            } else {
                                view! {
                                    <p class=EMPTY>
                                        "No members yet. People who sign up at "<a href="/signup" class="font-medium text-indigo-700 underline dark:text-indigo-300">"/signup"</a>
                                        " appear here, or add one with New member."
                                    </p>
                                }.into_any()
                            };
                        }
                        let page_ids: Vec<Uuid> = p.items.iter().map(|r| r.member.id).collect();
                        let page_size = page_ids.len();
                        view! {
                            <div class="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
                                <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                                    <caption class="sr-only">{format!("Members, page {}", p.page)}</caption>
                                    <thead class="bg-slate-50 text-left dark:bg-slate-800">
                                        <tr>
                                            <th scope="col" class="px-4 py-2">
                                                <input type="checkbox" aria-label="Select every member on this page"
                                                    prop:checked=move || { let n = selected.with(Vec::len); n > 0 && n == page_size }
                                                    on:change:target=move |ev| selected.set(if ev.target().checked() { page_ids.clone() } else { Vec::new() })
                                                    class="h-4 w-4 rounded border-slate-300"/>
                                            </th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Member"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Badges"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Status"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Community"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Joined"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold">"Last login"</th>
                                            <th scope="col" class="px-4 py-2 font-semibold"><span class="sr-only">"Actions"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                                        <For each=move || p.items.clone().into_iter().enumerate()
                                            key=|(i, r)| (*i, r.member.id, r.member.updated_at, r.badges.iter().map(|b| b.id).collect::<Vec<_>>())
                                            let:((index, row))>
                                            <MemberTableRow row index tools/>
                                        </For>
                                    </tbody>
                                </table>
                            </div>
                            <Pager page=p.page has_more=p.has_more/>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What every row's controls share with the page.
#[derive(Clone, Copy)]
struct RowTools {
    act: ServerAction<MemberAction>,
    delete: ServerAction<DeleteMember>,
    assign: ServerAction<AssignBadge>,
    unassign: ServerAction<UnassignBadge>,
    choices: Resource<Result<Vec<BadgeChoice>, AppError>>,
    /// The member whose deletion awaits confirmation.
    confirming: RwSignal<Option<Uuid>>,
    /// The member whose badge panel is open.
    badges_of: RwSignal<Option<Uuid>>,
    /// The rows ticked for a bulk assignment.
    selected: RwSignal<Vec<Uuid>>,
}

#[component]
fn MemberTableRow(row: MemberRow, index: usize, tools: RowTools) -> impl IntoView {
    let RowTools { act, delete, confirming, badges_of, selected, .. } = tools;
    let held = row.badges.clone();
    let m = row.member;
    let id = m.id;
    let name = m.display_name();
    let full_name = m.contact.as_ref().and_then(|c| c.full_name());
    let status = m.status.unwrap_or(MemberStatus::Approved);
    let muted = m.activity_status == Some(ActivityStatus::Muted);
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    let action = move |action: &'static str, label: String, text: &'static str| {
        view! {
            <ActionForm action=act attr:class="block">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="action" value=action/>
                <button type="submit" class=BUTTON aria-label=label>{text}</button>
            </ActionForm>
        }
    };
    let holds = row.badges.len();
    let confirm_name = name.clone();
    let panel_name = name.clone();
    let select_label = format!("Select {name}");
    view! {
        <tr>
            <td class="px-4 py-2">
                // belongs to the bulk form above the table (forms cannot nest in a row)
                <input type="checkbox" form="bulk-form" name=format!("member_ids[{index}]") value=id.to_string()
                    aria-label=select_label
                    prop:checked=move || selected.with(|s| s.contains(&id))
                    on:change:target=move |ev| {
                        let on = ev.target().checked();
                        selected.update(|s| {
                            s.retain(|m| *m != id);
                            if on {
                                s.push(id);
                            }
                        });
                    }
                    class="h-4 w-4 rounded border-slate-300"/>
            </td>
            <td class="px-4 py-2">
                <a href=format!("/dashboard/members/{id}") class="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{name.clone()}</a>
                {full_name.map(|n| view! { <span class="text-slate-600 dark:text-slate-300">{format!(" · {n}")}</span> })}
                <div class="text-slate-600 dark:text-slate-300">{m.login_email.clone()}</div>
            </td>
            <td class="px-4 py-2">
                <div class="flex max-w-xs flex-wrap gap-1">
                    {row.badges.into_iter().map(|b| view! {
                        <BadgeChip title=b.title background=b.background_color text=b.text_color icon=b.icon/>
                    }).collect_view()}
                </div>
            </td>
            <td class="whitespace-nowrap px-4 py-2">
                {status.label()}
                {muted.then(|| view! { <span class="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">"Muted"</span> })}
            </td>
            <td class="px-4 py-2">{if m.privacy_status == Some(PrivacyStatus::Public) { "Joined" } else { "Private" }}</td>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{date(m.created_at)}</td>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{m.last_login_at.map(date).unwrap_or_else(|| "Never".into())}</td>
            <td class="px-4 py-2">
                // a menu per row keeps the table narrow; <details> opens from the keyboard too
                <details class="relative text-right">
                    <summary class=format!("{BUTTON} inline-block cursor-pointer list-none") title=format!("Actions for {name}")>"Actions"</summary>
                    <div class="absolute right-0 z-10 mt-1 flex min-w-32 flex-col gap-1 rounded-md border border-slate-200 bg-white p-2 text-left shadow-lg dark:border-slate-700 dark:bg-slate-900 [&_button]:w-full">
                        <a href=format!("/dashboard/members/{id}") class=BUTTON aria-label=format!("Edit {name}")>"Edit"</a>
                        {match status {
                            MemberStatus::Pending => Some(action("approve", format!("Approve {name}"), "Approve")),
                            MemberStatus::Blocked => Some(action("approve", format!("Unblock {name}"), "Unblock")),
                            _ => None,
                        }}
                        {(status != MemberStatus::Blocked).then(|| action("block", format!("Block {name}"), "Block"))}
                        {if muted { action("unmute", format!("Unmute {name}"), "Unmute") } else { action("mute", format!("Mute {name}"), "Mute") }}
                        <button type="button" class=BUTTON aria-label=format!("Badges of {name}") on:click=move |_| badges_of.set(Some(id))>"Badges…"</button>
                        <button type="button" class=BUTTON aria-label=format!("Delete {name}") on:click=move |_| confirming.set(Some(id))>"Delete"</button>
                    </div>
                </details>
                <Show when=move || badges_of.get() == Some(id)>
                    <BadgePanel member_id=id name=panel_name.clone() held=held.clone() tools/>
                </Show>
                <Show when=move || confirming.get() == Some(id)>
                    <div role="alertdialog" aria-label=format!("Delete {confirm_name}?") class="mt-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
                        <p>{format!(
                            "Delete {confirm_name}? Their account, profile and {} go too. This cannot be undone.",
                            match holds { 0 => "badges (none)".to_owned(), 1 => "1 badge".to_owned(), n => format!("{n} badges") }
                        )}</p>
                        <div class="mt-2 flex gap-2">
                            <ActionForm action=delete>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <button type="submit" class=DANGER>"Delete member"</button>
                            </ActionForm>
                            <button type="button" class=BUTTON on:click=move |_| confirming.set(None)>"Cancel"</button>
                        </div>
                    </div>
                </Show>
            </td>
        </tr>
    }
}

/// A member's badges: assign one (found by typing part of its title), with an optional reason,
/// or remove one they hold.
#[component]
fn BadgePanel(member_id: Uuid, name: String, held: Vec<ProfileBadge>, tools: RowTools) -> impl IntoView {
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

/// A filter select listing every badge ("Any" first).
#[component]
fn BadgeFilter(
    label: &'static str,
    name: &'static str,
    current: Memo<Option<String>>,
    badges: Vec<BadgeChoice>,
) -> impl IntoView {
    let id = format!("filter-{name}");
    let current = current.get_untracked();
    view! {
        <div>
            <label for=id.clone() class="block text-sm font-medium text-slate-700 dark:text-slate-200">{label}</label>
            <select id=id name=name class=INPUT>
                <option value="any">"Any"</option>
                {badges.into_iter().map(|b| {
                    let value = b.id.to_string();
                    let selected = current.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=selected>{b.title}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Assign or remove one badge for every ticked row, in one request.
#[component]
fn BulkBar(
    bulk: ServerAction<BulkAssign>,
    badges: Vec<BadgeChoice>,
    selected: RwSignal<Vec<Uuid>>,
    report: Signal<Option<String>>,
) -> impl IntoView {
    let count = move || selected.with(Vec::len);
    view! {
        <ActionForm action=bulk attr:id="bulk-form" attr:aria-label="Selected members"
            attr:class="mt-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
            <p role="status" class="self-center font-medium">
                {move || match count() { 0 => "No member selected".to_owned(), 1 => "1 member selected".to_owned(), n => format!("{n} members selected") }}
            </p>
            <AssignmentFields prefix="bulk" legend="What to do" badges/>
            <button type="submit" class=BUTTON disabled=move || count() == 0 || bulk.pending().get()>"Apply to selected"</button>
            <FormSuccess message=report/>
            <FormAlert message=form_error(move || bulk.value().get())/>
        </ActionForm>
    }
}
