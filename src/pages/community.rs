//! The community directory (public members only, to everyone) and a member's profile page.

use super::layout::PageFrame;
use crate::assignments::api::{my_assignable_badges, DelegatedAssign};
use crate::assignments::BadgeChoice;
use crate::components::badge::BadgeChip;
use crate::components::classes::{BUTTON, EMPTY};
use crate::components::filters::INPUT;
use crate::components::filters::{query_param, SearchField};
use crate::components::form::{form_error, FormAlert, FormSuccess};
use crate::components::pager::{page_from_query, Pager};
use crate::components::status::{ErrorList, ErrorNotice, Loading, NotFound};
use crate::error::AppError;
use crate::members::api::{community, get_profile};
use crate::members::{MemberView, ProfileBadge};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CommunityPage() -> impl IntoView {
    let page = page_from_query();
    let search = query_param("q");
    let members = Resource::new(move || (search.get(), page.get()), |(search, page)| community(search, page));
    view! {
        <Title text="Community"/>
        <PageFrame let:_user>
        <main id="main" class="mx-auto max-w-6xl px-4 py-10">
            <h1 class="text-2xl font-bold tracking-tight">"Community"</h1>
            <form method="get" role="search" aria-label="Search the community" class="mt-4 flex flex-wrap items-end gap-3">
                <SearchField label="Search members" name="q" current=search/>
                <button type="submit" class=BUTTON>"Search"</button>
            </form>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                    {move || Suspend::new(async move {
                        members.await.map(|p| {
                            if p.items.is_empty() && p.page == 1 {
                                let message = if search.get_untracked().is_some() {
                                    "No community member matches that search."
                                } else {
                                    "Nobody has joined the community yet. Members join from their profile page."
                                };
                                return view! { <p class=EMPTY>{message}</p> }.into_any();
                            }
                            view! {
                                <ul class="mt-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-label="Community members">
                                    <For each=move || p.items.clone() key=|m| m.id let:member>
                                        <li class="flex items-center gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                            <Avatar member=member.clone() size="h-10 w-10"/>
                                            <div class="min-w-0">
                                                <a href=format!("/members/{}", member.profile.slug) class="font-semibold text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">
                                                    {member.display_name()}
                                                </a>
                                                {member.profile.title.clone().map(|t| view! { <p class="truncate text-sm text-slate-600 dark:text-slate-300">{t}</p> })}
                                            </div>
                                        </li>
                                    </For>
                                </ul>
                                <Pager page=p.page has_more=p.has_more/>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </main>
        </PageFrame>
    }
}

/// `/members/{slug}`: photo, nickname, title and badges in display order. A member the viewer
/// may not see answers 404, the same as a slug nobody has.
#[component]
pub fn MemberProfilePage() -> impl IntoView {
    let params = use_params_map();
    let give = ServerAction::<DelegatedAssign>::new();
    let profile = Resource::new(
        move || (params.with(|p| p.get("slug")).unwrap_or_default(), give.version().get()),
        |(slug, _)| get_profile(slug),
    );
    // the badges the viewer may give (a member the owner trusts with some): read once per page
    let assignable = Resource::new(|| (), |_| my_assignable_badges());
    view! {
        <PageFrame let:user>
        <main id="main" class="mx-auto max-w-3xl px-4 py-10">
            <Transition fallback=Loading>
                {move || { let user = user.clone(); Suspend::new(async move {
                    match profile.await {
                        Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(p) => {
                            let name = p.member.display_name();
                            view! {
                                <Title text=name.clone()/>
                                <div class="flex items-center gap-4">
                                    <Avatar member=p.member.clone() size="h-20 w-20"/>
                                    <div>
                                        <h1 class="text-2xl font-bold tracking-tight">{name}</h1>
                                        {p.member.profile.title.clone().map(|t| view! { <p class="text-slate-600 dark:text-slate-300">{t}</p> })}
                                    </div>
                                </div>
                                <BadgeList badges=p.badges/>
                                {
                                    let badges = assignable.await.unwrap_or_default();
                                    let own = user.as_ref().and_then(|u| u.member.as_ref()).is_some_and(|m| m.id == p.member.id);
                                    (!badges.is_empty() && !own).then(|| view! { <DelegatedAssignForm action=give badges member_id=p.member.id/> })
                                }
                            }.into_any()
                        }
                    }
                })}}
            </Transition>
        </main>
        </PageFrame>
    }
}

/// For a member the owner trusts with some badges: give this member one of them.
#[component]
fn DelegatedAssignForm(
    action: ServerAction<DelegatedAssign>,
    badges: Vec<BadgeChoice>,
    member_id: uuid::Uuid,
) -> impl IntoView {
    let result = move || action.value().get();
    let report = Signal::derive(move || action.value().get().and_then(Result::ok).map(|r| r.summary()));
    view! {
        <section aria-labelledby="give-heading" class="mt-8 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <h2 id="give-heading" class="text-lg font-semibold">"Assign badge"</h2>
            <ActionForm action attr:class="mt-2 flex flex-wrap items-end gap-3" attr:aria-label="Assign badge">
                <input type="hidden" name="member_id" value=member_id.to_string()/>
                <div>
                    <label for="give-badge" class="block text-sm font-medium">"Badge"</label>
                    <select id="give-badge" name="badge_id" class=INPUT>
                        {badges.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.title}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for="give-reason" class="block text-sm font-medium">"Reason (optional)"</label>
                    <input id="give-reason" name="reason" maxlength="500" class=INPUT/>
                </div>
                <button type="submit" class=BUTTON disabled=move || action.pending().get()>"Assign"</button>
                <FormSuccess message=report/>
                <FormAlert message=form_error(result)/>
            </ActionForm>
        </section>
    }
}

/// A member's badges, in display order, with when each was given.
#[component]
pub fn BadgeList(badges: Vec<ProfileBadge>) -> impl IntoView {
    view! {
        <section aria-labelledby="badges-heading" class="mt-8">
            <h2 id="badges-heading" class="text-lg font-semibold">"Badges"</h2>
            {if badges.is_empty() {
                view! { <p class="mt-2 text-slate-600 dark:text-slate-300">"No badges yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="mt-3 flex flex-wrap gap-3" aria-label="Badges">
                        {badges.into_iter().map(|b| view! {
                            <li class="flex flex-col items-start gap-1">
                                <a href=format!("/badges/{}", b.slug) class="rounded-full focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2">
                                    <BadgeChip title=b.title background=b.background_color text=b.text_color icon=b.icon/>
                                </a>
                                <span class="text-xs text-slate-500 dark:text-slate-400">{format!("Since {}", b.assigned_at.format("%Y-%m-%d"))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// The member's photo, or their initial on a tinted disc.
#[component]
pub fn Avatar(member: MemberView, size: &'static str) -> impl IntoView {
    match member.profile.photo_url.clone() {
        Some(url) => {
            view! { <img src=url alt="" class=format!("{size} shrink-0 rounded-full object-cover")/> }.into_any()
        }
        None => {
            let initial =
                member.display_name().chars().next().map(|c| c.to_uppercase().to_string()).unwrap_or_default();
            view! {
                <span aria-hidden="true" class=format!("{size} flex shrink-0 items-center justify-center rounded-full bg-indigo-100 font-semibold text-indigo-800 dark:bg-indigo-900 dark:text-indigo-100")>
                    {initial}
                </span>
            }.into_any()
        }
    }
}
