//! "Assign to all matching" on the member list, and the panel that follows background runs.
//! The runs happen on the server; this page only starts them and watches, so leaving or
//! reloading it changes nothing about the work.

use crate::assignments::api::{assignment_jobs, count_matching, AssignAllMatching, FilterFields};
use crate::assignments::BadgeChoice;
use crate::components::classes::PRIMARY;
use crate::components::filters::INPUT;
use crate::components::form::FormAlert;
use crate::domain::job::{Job, JobStatus};
use crate::format::thousands;
use leptos::prelude::*;
use std::time::Duration;

/// The list's current filters, as the query string has them.
#[derive(Clone, Copy)]
pub struct Filters {
    pub search: Memo<Option<String>>,
    pub status: Memo<Option<String>>,
    pub privacy: Memo<Option<String>>,
    pub holds: Memo<Option<String>>,
    pub lacks: Memo<Option<String>>,
}

/// How often a running run's progress is read again.
const POLL: Duration = Duration::from_millis(700);

/// The latest runs, read again every `POLL` while one is running and whenever `started` moves.
/// `finished` moves whenever a run is seen ending, so the member list can refresh its badges.
pub fn watch_runs(started: Signal<usize>) -> (Resource<Result<Vec<Job>, crate::error::AppError>>, RwSignal<usize>) {
    let tick = RwSignal::new(0_u32);
    let finished = RwSignal::new(0_usize);
    // a run started elsewhere shows once its first batch is written
    let live = crate::live::watch::live_changes(&["badge_assignment", "member"]);
    let runs = Resource::new(move || (tick.get(), started.get(), live.get()), |_| assignment_jobs());
    // effects run in the browser only: the server renders the state as it is
    Effect::new(move |previous: Option<Option<chrono::DateTime<chrono::Utc>>>| {
        let Some(Ok(jobs)) = runs.get() else { return previous.flatten() };
        if jobs.iter().any(|j| j.status == JobStatus::Running) {
            set_timeout(move || tick.update(|t| *t = t.wrapping_add(1)), POLL);
        }
        // The latest end among the listed runs moves whenever a run ends. (Counting finished
        // runs did not: the list holds the last 5, so a new finished run can push an old one
        // out and leave the count as it was.)
        let latest_end = jobs.iter().filter_map(|j| j.finished_at).max();
        if previous.is_some_and(|p| p != latest_end) {
            finished.update(|n| *n += 1);
        }
        latest_end
    });
    (runs, finished)
}

/// Starts a run over every member matching the list's filters.
///
/// How many that is is asked only once the admin opens this (counting 100,000 members on a
/// search costs more than rendering the page), and again whenever the filters change while it
/// is open.
#[component]
pub fn AllMatching(
    action: ServerAction<AssignAllMatching>,
    badges: Vec<BadgeChoice>,
    filters: Filters,
) -> impl IntoView {
    let hidden = move |name: &'static str, value: Memo<Option<String>>| {
        view! { <input type="hidden" name=name value=move || value.get().unwrap_or_default()/> }
    };
    let opened = RwSignal::new(false);
    let count = RwSignal::new(None::<i64>);
    // effects run in the browser only
    Effect::new(move |_| {
        let key = (
            filters.search.get(),
            filters.status.get(),
            filters.privacy.get(),
            filters.holds.get(),
            filters.lacks.get(),
        );
        if !opened.get() {
            return;
        }
        count.set(None);
        leptos::task::spawn_local(async move {
            let (search, status, privacy, holds, lacks) = key.clone();
            let answer = count_matching(FilterFields { search, status, privacy, holds, lacks }).await;
            let current = (
                filters.search.get_untracked(),
                filters.status.get_untracked(),
                filters.privacy.get_untracked(),
                filters.holds.get_untracked(),
                filters.lacks.get_untracked(),
            );
            // a slower answer for filters since changed is dropped
            if let (Ok(n), true) = (answer, current == key) {
                count.set(Some(n));
            }
        });
    });
    view! {
        <details on:toggle=move |_| opened.set(true)
            class="mt-3 rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
            <summary class="cursor-pointer font-medium">"Assign to all matching…"</summary>
            <ActionForm action=action attr:aria-label="All matching members" attr:class="mt-3 flex flex-wrap items-end gap-3">
                {hidden("search", filters.search)}
                {hidden("status", filters.status)}
                {hidden("privacy", filters.privacy)}
                {hidden("holds", filters.holds)}
                {hidden("lacks", filters.lacks)}
                <p class="w-full text-slate-600 dark:text-slate-300">
                    "Every member the current search and filters match, on every page. The work runs on the server in batches; you can leave or reload this page meanwhile."
                </p>
                <p role="status" class="w-full font-medium">
                    {move || count.get().map(|n| match n {
                        1 => "1 member matches.".to_owned(),
                        n => format!("{} members match.", thousands(n)),
                    })}
                </p>
                <AssignmentFields prefix="all" legend="What to do with all matching" badges/>
                <button type="submit" class=PRIMARY disabled=move || action.pending().get()>
                    {move || match count.get() {
                        Some(n) => format!("Start for {} members", thousands(n)),
                        None => "Start".to_owned(),
                    }}
                </button>
                // every refusal here (a run already going, a bad filter) is shown in one place
                <FormAlert message=Signal::derive(move || action.value().get().and_then(Result::err).map(|e| match e {
                    crate::error::AppError::Validation { message, .. } => message,
                    other => other.to_string(),
                }))/>
            </ActionForm>
        </details>
    }
}

/// The badge, assign-or-remove and reason fields every bulk assignment form has (`badge_id`,
/// `action`, `reason`); `prefix` keeps their ids apart on a page with several such forms.
#[component]
pub fn AssignmentFields(prefix: &'static str, legend: &'static str, badges: Vec<BadgeChoice>) -> impl IntoView {
    let (badge_id, reason_id) = (format!("{prefix}-badge"), format!("{prefix}-reason"));
    view! {
        <div>
            <label for=badge_id.clone() class="block font-medium">"Badge"</label>
            <select id=badge_id name="badge_id" class=INPUT>
                {badges.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.title}</option> }).collect_view()}
            </select>
        </div>
        <fieldset class="flex gap-3 self-center">
            <legend class="sr-only">{legend}</legend>
            <label class="inline-flex items-center gap-1"><input type="radio" name="action" value="assign" checked=true/>"Assign"</label>
            <label class="inline-flex items-center gap-1"><input type="radio" name="action" value="unassign"/>"Remove"</label>
        </fieldset>
        <div>
            <label for=reason_id.clone() class="block font-medium">"Reason (optional)"</label>
            <input id=reason_id name="reason" maxlength="500" class=INPUT/>
        </div>
    }
}

/// The latest runs: progress while running, the report once done.
#[component]
pub fn RunsPanel(runs: Resource<Result<Vec<Job>, crate::error::AppError>>) -> impl IntoView {
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let jobs = runs.await.unwrap_or_default();
                (!jobs.is_empty()).then(|| view! {
                    <section aria-labelledby="runs-heading" class="mt-4 rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900">
                        <h2 id="runs-heading" class="font-semibold">"Background assignments"</h2>
                        <ul class="mt-2 space-y-3">
                            {jobs.into_iter().map(|job| view! { <RunRow job/> }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Transition>
    }
}

#[component]
fn RunRow(job: Job) -> impl IntoView {
    let what = if job.from_api { format!("{} (through the REST API)", job.describe()) } else { job.describe() };
    let unit = if job.action.over_assignments() { "assignments" } else { "members" };
    let state = match job.status {
        JobStatus::Running => view! {
            <div class="mt-1 flex items-center gap-3">
                <progress max=job.total.max(1) value=job.processed.min(job.total) aria-label=format!("{what}: progress") class="h-2 w-48"></progress>
                <span>{format!("{} of {} {unit} ({}%)", thousands(job.processed), thousands(job.total), job.percent())}</span>
            </div>
        }
        .into_any(),
        JobStatus::Done => {
            let took = job.duration().map(|d| format!(" Took {:.1} s.", d.num_milliseconds() as f64 / 1000.0)).unwrap_or_default();
            view! { <p role="status" class="mt-1 text-emerald-800 dark:text-emerald-300">{format!("Done. {}{took}", job.summary())}</p> }.into_any()
        }
        JobStatus::Failed => view! {
            <p role="alert" class="mt-1 text-red-700 dark:text-red-300">
                {format!("Stopped after {} of {} {unit}. {} {}", thousands(job.processed), thousands(job.total), job.summary(), job.error.clone().unwrap_or_default())}
            </p>
        }
        .into_any(),
    };
    view! {
        <li>
            <p class="font-medium">{what}</p>
            {state}
        </li>
    }
}
