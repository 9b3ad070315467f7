use crate::components::status::{ErrorList, Loading};
use crate::members::api::get_dashboard_stats;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let stats = Resource::new(|| (), |_| get_dashboard_stats());
    view! {
        <Title text="Dashboard"/>
        <h1 class="text-2xl font-bold tracking-tight">"Dashboard"</h1>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    stats.await.map(|s| view! {
                        <dl class="mt-6 grid gap-4 sm:grid-cols-3">
                            <Stat label="Members" value=s.members href="/dashboard/members"/>
                            <Stat label="Waiting for approval" value=s.pending href="/dashboard/members"/>
                            <Stat label="In the community" value=s.public href="/community"/>
                        </dl>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn Stat(label: &'static str, value: i64, href: &'static str) -> impl IntoView {
    view! {
        <div class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <dt class="text-sm text-slate-600 dark:text-slate-300">
                <a href=href class="hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">{label}</a>
            </dt>
            <dd class="mt-1 text-3xl font-bold tabular-nums">{value}</dd>
        </div>
    }
}
