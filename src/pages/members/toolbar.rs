//! Above the member list: the filter form, the outcome of the last action, the bulk bar and
//! "assign to all matching".

use super::super::assign_runs::{AllMatching, AssignmentFields, Filters};
use super::RowTools;
use crate::assignments::api::{AssignAllMatching, BulkAssign};
use crate::assignments::BadgeChoice;
use crate::components::classes::BUTTON;
use crate::components::filters::{FilterSelect, SearchField, INPUT};
use crate::components::form::{form_error, FormAlert, FormSuccess};
use crate::components::status::Loading;
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub(super) fn Toolbar(
    filters: Filters,
    sort: Memo<Option<String>>,
    tools: RowTools,
    bulk: ServerAction<BulkAssign>,
    start_run: ServerAction<AssignAllMatching>,
) -> impl IntoView {
    let RowTools { act, delete, assign, unassign, choices, selected, .. } = tools;
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
    view! {
        // the badge list is read here once, for the filters and the bulk bar together: one
        // resource under several Suspense boundaries upsets hydration (leptos #4851)
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                let badges = choices.await.unwrap_or_default();
                view! {
                    <FilterForm filters sort badges=badges.clone()/>
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
    }
}

/// The list's search, filters and sort, as a plain GET form.
#[component]
fn FilterForm(filters: Filters, sort: Memo<Option<String>>, badges: Vec<BadgeChoice>) -> impl IntoView {
    let Filters { search, status, privacy, holds, lacks } = filters;
    view! {
        <form method="get" role="search" aria-label="Filter members" class="mt-4 flex flex-wrap items-end gap-3">
            <SearchField label="Name, nickname or email" name="q" current=search/>
            <FilterSelect label="Status" name="status" current=status
                options=&[("any", "Any"), ("PENDING", "Waiting for approval"), ("APPROVED", "Approved"), ("BLOCKED", "Blocked"), ("OFFLINE", "Offline")]/>
            <FilterSelect label="Community" name="privacy" current=privacy
                options=&[("any", "Any"), ("PUBLIC", "Joined (public)"), ("PRIVATE", "Private")]/>
            <BadgeFilter label="Holds badge" name="holds" current=holds badges=badges.clone()/>
            <BadgeFilter label="Does not hold" name="lacks" current=lacks badges/>
            <FilterSelect label="Sort by" name="sort" current=sort
                options=&[("newest", "Newest first"), ("nickname", "Nickname"), ("name", "Name"), ("last_login", "Last login")]/>
            <button type="submit" class=BUTTON>"Apply"</button>
        </form>
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
