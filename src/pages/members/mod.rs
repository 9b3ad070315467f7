//! The admin member list: search, filters, sort, 50 a page; each row with the member's badges
//! and the actions an admin takes on a member (approve, block, mute, edit, delete).

mod badge_panel;
mod row;
mod table;
mod toolbar;

use super::assign_runs::{watch_runs, Filters, RunsPanel};
use crate::assignments::api::AssignAllMatching;
use crate::assignments::api::{badge_choices, AssignBadge, BulkAssign, UnassignBadge};
use crate::assignments::BadgeChoice;
use crate::components::classes::PRIMARY;
use crate::components::filters::query_param;
use crate::components::pager::page_from_query;
use crate::components::status::{ErrorList, Loading};
use crate::error::AppError;
use crate::members::api::{list_members, DeleteMember, MemberAction};
use leptos::prelude::*;
use leptos_meta::Title;
use table::MemberTable;
use toolbar::Toolbar;
use uuid::Uuid;

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
pub fn MembersPage() -> impl IntoView {
    let page = page_from_query();
    let filters = Filters {
        search: query_param("q"),
        status: query_param("status"),
        privacy: query_param("privacy"),
        holds: query_param("holds"),
        lacks: query_param("lacks"),
    };
    let sort = query_param("sort");
    let (after, before) = (query_param("after"), query_param("before"));
    let bulk = ServerAction::<BulkAssign>::new();
    let start_run = ServerAction::<AssignAllMatching>::new();
    let (runs, runs_finished) = watch_runs(Signal::derive(move || start_run.version().get()));
    let tools = RowTools {
        act: ServerAction::new(),
        delete: ServerAction::new(),
        assign: ServerAction::new(),
        unassign: ServerAction::new(),
        choices: Resource::new(|| (), |_| badge_choices()),
        confirming: RwSignal::new(None),
        badges_of: RwSignal::new(None),
        selected: RwSignal::new(Vec::new()),
    };
    // members and their badges changed elsewhere (another admin, the API, a run)
    let live = crate::live::watch::live_changes(&["member", "badge_assignment"]);
    let changes = move || {
        let RowTools { act, delete, assign, unassign, .. } = tools;
        let versions = (act.version(), delete.version(), assign.version(), unassign.version(), bulk.version());
        let ours = (versions.0.get(), versions.1.get(), versions.2.get(), versions.3.get(), versions.4.get());
        (ours, runs_finished.get(), live.get())
    };
    let Filters { search, status, privacy, holds, lacks } = filters;
    let members = Resource::new(
        move || {
            let place = (after.get(), before.get(), page.get());
            ((search.get(), status.get(), privacy.get(), holds.get(), lacks.get(), sort.get()), place, changes())
        },
        |((search, status, privacy, holds, lacks, sort), (after, before, page), _)| {
            list_members(search, status, privacy, holds, lacks, sort, after, before, page)
        },
    );
    // a finished bulk run empties the selection
    Effect::new(move |_| {
        if matches!(bulk.value().get(), Some(Ok(_))) {
            tools.selected.set(Vec::new());
        }
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
        <Toolbar filters sort tools bulk start_run/>
        <RunsPanel runs/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    members.await.map(|p| {
                        if p.items.is_empty() && p.number == 1 {
                            empty_list(filtered())
                        } else {
                            view! { <MemberTable page=p tools/> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// What an empty first page says: that the filters match nobody, or how members arrive.
fn empty_list(filtered: bool) -> AnyView {
    use crate::components::classes::EMPTY;
    if filtered {
        view! { <p class=EMPTY>"No member matches these filters."</p> }.into_any()
    } else {
        view! {
            <p class=EMPTY>
                "No members yet. People who sign up at "<a href="/signup" class="font-medium text-indigo-700 underline dark:text-indigo-300">"/signup"</a>
                " appear here, or add one with New member."
            </p>
        }
        .into_any()
    }
}
