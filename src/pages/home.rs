//! The front door: sends a fresh install to first-run setup, otherwise says what this site is
//! and where to go next.

use super::layout::PageFrame;
use crate::auth::api::needs_setup;
use crate::auth::CurrentUser;
use crate::components::status::Loading;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;

const BUTTON: &str = "rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-slate-950";
const SECONDARY: &str = "rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800";

#[component]
pub fn HomePage() -> impl IntoView {
    let setup = Resource::new_blocking(|| (), |_| needs_setup());
    view! {
        <Title text=""/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                if matches!(setup.await, Ok(true)) {
                    view! { <Redirect path="/setup"/> }.into_any()
                } else {
                    view! {
                        <PageFrame let:user>
                            <main id="main" class="mx-auto max-w-3xl px-4 py-16">
                                <h1 class="text-4xl font-bold tracking-tight">"Badges for the people who make this community"</h1>
                                <p class="mt-4 text-lg text-slate-600 dark:text-slate-300">
                                    "Join the community to show your badges on a public profile, and see who else is here."
                                </p>
                                <div class="mt-8 flex flex-wrap gap-3"><NextSteps user/></div>
                            </main>
                        </PageFrame>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn NextSteps(user: Option<CurrentUser>) -> impl IntoView {
    match user {
        Some(user) => view! {
            <a href=user.home_path() class=BUTTON>
                {if user.is_admin() { "Open the dashboard" } else { "Open your profile" }}
            </a>
            <a href="/community" class=SECONDARY>"Browse the community"</a>
        }
        .into_any(),
        None => view! {
            <a href="/signup" class=BUTTON>"Sign up"</a>
            <a href="/login" class=SECONDARY>"Log in"</a>
            <a href="/community" class=SECONDARY>"Browse the community"</a>
        }
        .into_any(),
    }
}
