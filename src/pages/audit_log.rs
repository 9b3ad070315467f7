//! Dashboard → Audit log: every change, newest first, narrowed by who, what and when, a page of
//! 50 at a time, and the same as CSV. The filters live in the URL (a GET form), so a filtered
//! log can be bookmarked and works without JavaScript.

use crate::audit::api::audit_page;
use crate::audit::{AuditEntry, AuditFilters, AuditPage};
use crate::components::classes::{BUTTON, EMPTY};
use crate::components::filters::{query_param, INPUT};
use crate::components::status::{ErrorNotice, Loading};
use crate::domain::event::{EntityType, EventAction};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

const ENTITY_TYPES: [(&str, &str); 4] =
    [("", "Anything"), ("badge", "Badges"), ("badge_assignment", "Assignments"), ("member", "Members")];

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let actor = query_param("actor");
    let entity_type = query_param("entity_type");
    let entity = query_param("entity");
    let action = query_param("action");
    let from = query_param("from");
    let to = query_param("to");
    let older = query_param("older");
    let filters = Memo::new(move |_| AuditFilters {
        actor: actor.get(),
        entity_type: entity_type.get(),
        entity: entity.get(),
        action: action.get(),
        from: from.get(),
        to: to.get(),
    });
    // the first page follows new changes; older pages stay as they are
    let live = crate::live::watch::live_changes(&["badge", "badge_assignment", "member"]);
    let log = Resource::new(
        move || (filters.get(), older.get(), older.with(Option::is_none).then(|| live.get())),
        |(filters, older, _)| audit_page(filters, older.and_then(|o| o.parse().ok())),
    );
    view! {
        <Title text="Audit log"/>
        <h1 class="text-2xl font-bold tracking-tight">"Audit log"</h1>
        <p class="mt-1 text-slate-600 dark:text-slate-300">
            "Every change to badges, assignments and members: who made it, when, and what it changed."
        </p>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                let result = log.await;
                let filters = filters.get_untracked();
                let error = result.as_ref().err().cloned();
                view! {
                    <FilterForm filters=filters.clone() error=error.clone()/>
                    {match result {
                        Ok(page) => view! { <Entries page filters first=older.get_untracked().is_none()/> }.into_any(),
                        Err(AppError::Validation { .. }) => ().into_any(),
                        Err(e) => view! { <ErrorNotice error=e/> }.into_any(),
                    }}
                }
            })}
        </Transition>
    }
}

/// The filters, each with its error below it when the server refused it.
#[component]
fn FilterForm(filters: AuditFilters, error: Option<AppError>) -> impl IntoView {
    let message = move |field: &str| error.as_ref().and_then(|e| e.field_message(field));
    let labelled = |id: &'static str, label: &'static str, input: AnyView, field: &'static str| {
        let error = message(field);
        let error_id = format!("{id}-error");
        view! {
            <div>
                <label for=id class="block text-sm font-medium text-slate-700 dark:text-slate-200">{label}</label>
                {input}
                {error.map(|m| view! { <p id=error_id class="mt-1 text-sm text-red-700 dark:text-red-300">{m}</p> })}
            </div>
        }
    };
    let invalid = |field: &str| message(field).is_some().then_some("true");
    let selected = |current: &Option<String>, value: &str| current.as_deref().unwrap_or_default() == value;
    let actions: Vec<(&str, &str)> =
        std::iter::once(("", "Any")).chain(EventAction::ALL.iter().map(|a| (a.as_str(), a.as_str()))).collect();
    let csv = format!("/dashboard/audit.csv?{}", filters.to_query());
    view! {
        <form method="get" role="search" aria-label="Filter the log" class="mt-4 flex flex-wrap items-end gap-3">
            {labelled("audit-actor", "Who (email or key)", view! {
                <input id="audit-actor" name="actor" type="search" value=filters.actor.clone()
                    aria-invalid=invalid("actor") aria-describedby="audit-actor-error" class=format!("{INPUT} w-56")/>
            }.into_any(), "actor")}
            {labelled("audit-entity-type", "Changed", view! {
                <select id="audit-entity-type" name="entity_type" class=INPUT aria-invalid=invalid("entity_type")>
                    {ENTITY_TYPES.iter().map(|&(value, text)| view! {
                        <option value=value selected=selected(&filters.entity_type, value)>{text}</option>
                    }).collect_view()}
                </select>
            }.into_any(), "entity_type")}
            {labelled("audit-action", "Action", view! {
                <select id="audit-action" name="action" class=INPUT aria-invalid=invalid("action")>
                    {actions.into_iter().map(|(value, text)| view! {
                        <option value=value selected=selected(&filters.action, value)>{text}</option>
                    }).collect_view()}
                </select>
            }.into_any(), "action")}
            {labelled("audit-from", "From", view! {
                <input id="audit-from" name="from" type="date" value=filters.from.clone()
                    aria-invalid=invalid("from") aria-describedby="audit-from-error" class=INPUT/>
            }.into_any(), "from")}
            {labelled("audit-to", "To", view! {
                <input id="audit-to" name="to" type="date" value=filters.to.clone()
                    aria-invalid=invalid("to") aria-describedby="audit-to-error" class=INPUT/>
            }.into_any(), "to")}
            {filters.entity.clone().map(|id| view! { <input type="hidden" name="entity" value=id/> })}
            <button type="submit" class=BUTTON>"Apply"</button>
            <a href=csv class=BUTTON download="audit-log.csv">"Export CSV"</a>
        </form>
        {message("entity").map(|m| view! { <p role="alert" class="mt-2 text-sm text-red-700 dark:text-red-300">{m}</p> })}
        {filters.entity.map(|_| view! {
            <p class="mt-3 text-sm">"Showing one entity's history. "<a href="/dashboard/audit" class="underline">"Show every change"</a></p>
        })}
    }
}

fn time(entry: &AuditEntry) -> String {
    entry.occurred_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// Where an entity is edited, for a link; assignments have no page of their own.
fn entity_href(entry: &AuditEntry) -> Option<String> {
    match entry.entity_type {
        EntityType::Badge if entry.action != EventAction::Deleted => {
            Some(format!("/dashboard/badges/{}", entry.entity_id))
        }
        EntityType::Member if entry.action != EventAction::Deleted => {
            Some(format!("/dashboard/members/{}", entry.entity_id))
        }
        _ => None,
    }
}

#[component]
fn Entries(page: AuditPage, filters: AuditFilters, first: bool) -> impl IntoView {
    if page.entries.is_empty() {
        let message = if first && filters == AuditFilters::default() {
            "Nothing has changed yet. Creating a badge, assigning it or a member joining shows here."
        } else {
            "No change matches these filters."
        };
        return view! { <p class=format!("{EMPTY} mt-6")>{message}</p> }.into_any();
    }
    let query = filters.to_query();
    let newest = (!first).then(|| format!("/dashboard/audit?{query}"));
    let older = page.older.map(|seq| {
        let query = if query.is_empty() { String::new() } else { format!("{query}&") };
        format!("/dashboard/audit?{query}older={seq}")
    });
    view! {
        <div class="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">"Changes, newest first"</caption>
                <thead class="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-300">
                    <tr>
                        <th scope="col" class="px-3 py-2 font-medium">"When"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Who"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"What"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Action"</th>
                        <th scope="col" class="px-3 py-2 font-medium">"Changes"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                    {page.entries.into_iter().map(|entry| view! { <EntryRow entry/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="mt-4 flex items-center gap-3">
            {newest.map(|href| view! { <a href=href class=BUTTON>"Newest"</a> })}
            {older.map(|href| view! { <a href=href class=BUTTON rel="next">"Older"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn EntryRow(entry: AuditEntry) -> impl IntoView {
    let history = format!("/dashboard/audit?entity={}", entry.entity_id);
    let name = match entity_href(&entry) {
        Some(href) => view! { <a href=href class="font-medium underline">{entry.entity_name.clone()}</a> }.into_any(),
        None => view! { <span class="font-medium">{entry.entity_name.clone()}</span> }.into_any(),
    };
    view! {
        <tr class="align-top">
            <td class="whitespace-nowrap px-3 py-2"><time datetime=entry.occurred_at.to_rfc3339()>{time(&entry)}</time></td>
            <td class="px-3 py-2">{entry.actor.clone()}</td>
            <td class="px-3 py-2">
                <span class="text-slate-600 dark:text-slate-300">{entry.entity_type.label()}" "</span>{name}
                " "<a href=history class="text-xs text-slate-600 underline dark:text-slate-300"
                    aria-label=format!("History of {}", entry.entity_name)>"history"</a>
            </td>
            <td class="px-3 py-2">{entry.action.as_str()}</td>
            <td class="px-3 py-2">
                <ul>{entry.changes.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
            </td>
        </tr>
    }
}
