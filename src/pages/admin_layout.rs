//! The dashboard frame: only owners and admins get past it. Visitors are sent to log in;
//! members see a refusal (403). The server functions behind every dashboard page check the role
//! again on their own — this guard is for people, not for security.

use super::layout::PageFrame;
use crate::auth::CurrentUser;
use crate::components::status::Forbidden;
use crate::query_string::encode_query_value;
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

const SIDE_LINK: &str = "block rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 aria-[current=page]:bg-indigo-600 aria-[current=page]:text-white dark:text-slate-200 dark:hover:bg-slate-800";

/// Wraps one dashboard page. Each dashboard route names its page inside this frame (rather
/// than the frame being a parent route with an `<Outlet/>`): an outlet is a closure, and under
/// the frame's `Suspense` the server would build the page behind it once per walk of the tree,
/// registering its data loads two or three times (see `PageFrame`).
#[component]
pub fn AdminLayout(children: ChildrenFn) -> impl IntoView {
    let location = use_location();
    view! {
        <PageFrame let:user>
            {match user {
                Some(user) if user.is_admin() => {
                    let page = children();
                    view! { <AdminFrame>{page}</AdminFrame> }.into_any()
                }
                Some(CurrentUser { .. }) => view! { <main id="main"><Forbidden/></main> }.into_any(),
                None => {
                    let next = encode_query_value(&location.pathname.get_untracked());
                    view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                }
            }}
        </PageFrame>
    }
}

#[component]
fn AdminFrame(children: Children) -> impl IntoView {
    view! {
        <div class="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
            <nav aria-label="Dashboard" class="md:w-48 md:shrink-0">
                <ul class="flex gap-1 md:flex-col">
                    <li><A href="/dashboard" exact=true attr:class=SIDE_LINK>"Dashboard"</A></li>
                    <li><A href="/dashboard/badges" attr:class=SIDE_LINK>"Badges"</A></li>
                    <li><A href="/dashboard/members" attr:class=SIDE_LINK>"Members"</A></li>
                    <li><A href="/dashboard/pages" attr:class=SIDE_LINK>"Pages"</A></li>
                    <li><A href="/dashboard/import" attr:class=SIDE_LINK>"Import"</A></li>
                    <li><A href="/dashboard/audit" attr:class=SIDE_LINK>"Audit log"</A></li>
                    <li><A href="/dashboard/settings" attr:class=SIDE_LINK>"Settings"</A></li>
                </ul>
            </nav>
            <main id="main" class="min-w-0 flex-1">
                {children()}
            </main>
        </div>
    }
}
