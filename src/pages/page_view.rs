//! `/pages/{slug}`: a members-only page, or why it is closed to you; `/pages`: the pages you can
//! open. What you may read is the server's decision (`member_pages::access`); this file only
//! shows it.

use super::layout::PageFrame;
use crate::components::badge::BadgeChip;
use crate::components::classes::EMPTY;
use crate::components::status::{set_http_status, ErrorNotice, Loading, NotFound};
use crate::error::AppError;
use crate::member_pages::api::{open_page, your_pages};
use crate::member_pages::{KeyBadge, PageLink, PageOpening, Refusal};
use crate::query_string::encode_query_value;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_location, use_params_map};

const LINK: &str = "font-medium text-indigo-700 underline underline-offset-2 dark:text-indigo-300";

/// Where a visitor is sent: the login page, and back here after.
fn login_path(pathname: &str) -> String {
    format!("/login?next={}", encode_query_value(pathname))
}

#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let location = use_location();
    let opening = Resource::new(move || params.with(|p| p.get("slug")).unwrap_or_default(), open_page);
    view! {
        <PageFrame let:_user>
        <main id="main" class="mx-auto max-w-3xl px-4 py-10">
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    match opening.await {
                        Err(AppError::Unauthorized) => view! {
                            <Redirect path=login_path(&location.pathname.get_untracked())/>
                        }.into_any(),
                        Err(AppError::NotFound(_)) => view! { <NotFound/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(PageOpening::Read { title, html, as_staff, badges }) => view! {
                            <Title text=title.clone()/>
                            <article aria-labelledby="page-title">
                                <h1 id="page-title" class="text-3xl font-bold tracking-tight">{title}</h1>
                                {as_staff.then(|| view! { <StaffNote badges/> })}
                                <div class="page-content mt-6" inner_html=html></div>
                            </article>
                        }.into_any(),
                        Ok(PageOpening::Refused { title, reason, badges }) => view! {
                            <Refused title reason badges/>
                        }.into_any(),
                    }
                })}
            </Transition>
        </main>
        </PageFrame>
    }
}

/// Owners and admins read every page; this tells them who else can.
#[component]
fn StaffNote(badges: Vec<KeyBadge>) -> impl IntoView {
    let who = if badges.is_empty() {
        "You can read this page as an owner or admin. Members need a badge that opens it, or none if it is for every approved member: see its settings.".to_owned()
    } else {
        let names: Vec<String> = badges.iter().map(|b| format!("“{}”", b.title)).collect();
        format!("You can read this page as an owner or admin. Members need one of these badges: {}.", names.join(", "))
    };
    view! {
        <p class="mt-3 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950 dark:text-indigo-100">
            {who}
        </p>
    }
}

/// The 403 of a members-only page: why, and which badges would open it and who grants them.
#[component]
fn Refused(title: String, reason: Refusal, badges: Vec<KeyBadge>) -> impl IntoView {
    set_http_status(403);
    let heading = match reason {
        Refusal::NotApproved => "Your membership is waiting for approval",
        _ => "You need a badge to read this page",
    };
    let explanation = match reason {
        Refusal::NeedsBadge => format!("“{title}” is for members holding one of these badges:"),
        Refusal::NoBadgeOpensIt => {
            format!("No badge opens “{title}” at the moment. Ask the site's owner if you should have access.")
        }
        Refusal::NotApproved => {
            format!("“{title}” is for approved members. Once the site's owner approves your membership, you can open the pages your badges unlock.")
        }
        Refusal::NotAPerson => format!("“{title}” is read by members, not by API keys."),
    };
    let show_badges = reason == Refusal::NeedsBadge;
    view! {
        <Title text=heading/>
        <section aria-labelledby="refused-heading" class="py-6">
            <h1 id="refused-heading" class="text-2xl font-bold tracking-tight">{heading}</h1>
            <p class="mt-4 text-slate-700 dark:text-slate-200">{explanation}</p>
            {show_badges.then(|| view! {
                <ul class="mt-4 space-y-4" aria-label="Badges that open this page">
                    {badges.into_iter().map(|badge| view! { <KeyBadgeItem badge/> }).collect_view()}
                </ul>
            })}
            <p class="mt-8"><a href="/pages" class=LINK>"See the pages you can open"</a></p>
        </section>
    }
}

#[component]
fn KeyBadgeItem(badge: KeyBadge) -> impl IntoView {
    let grantors = badge.grantors.clone();
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <a href=format!("/badges/{}", badge.slug) aria-label=format!("The badge {}", badge.title) class="inline-block focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
                <BadgeChip title=badge.title.clone() background=badge.background_color.clone() text=badge.text_color.clone() icon=badge.icon.clone()/>
            </a>
            <p class="mt-2 text-sm text-slate-600 dark:text-slate-300">
                {if grantors.is_empty() {
                    view! { "The site's admins can grant it." }.into_any()
                } else {
                    let last = grantors.len() - 1;
                    view! {
                        "The site's admins can grant it, and so can "
                        {grantors.into_iter().enumerate().map(|(i, g)| view! {
                            <a href=format!("/members/{}", g.slug) class=LINK>{g.name}</a>
                            {if i == last { "." } else if i + 1 == last { " and " } else { ", " }}
                        }).collect_view()}
                    }.into_any()
                }}
            </p>
        </li>
    }
}

/// `/pages`: exactly the pages the reader can open. Visitors are sent to log in.
#[component]
pub fn YourPagesPage() -> impl IntoView {
    let location = use_location();
    let pages = Resource::new(|| (), |_| your_pages());
    view! {
        <PageFrame let:user>
        <main id="main" class="mx-auto max-w-3xl px-4 py-10">
            <Title text="Your pages"/>
            <h1 class="text-2xl font-bold tracking-tight">"Your pages"</h1>
            {match user {
                None => view! { <Redirect path=login_path(&location.pathname.get_untracked())/> }.into_any(),
                Some(_) => view! {
                    <Transition fallback=Loading>
                        {move || Suspend::new(async move {
                            match pages.await {
                                Ok(pages) => view! { <PageLinks pages/> }.into_any(),
                                Err(error) => view! { <ErrorNotice error/> }.into_any(),
                            }
                        })}
                    </Transition>
                }.into_any(),
            }}
        </main>
        </PageFrame>
    }
}

/// A list of pages to open, or what to do when there are none.
#[component]
pub fn PageLinks(pages: Vec<PageLink>) -> impl IntoView {
    if pages.is_empty() {
        return view! {
            <p class=EMPTY>"No members-only pages are open to you yet. Badges unlock them: each badge's page says what it opens."</p>
        }
        .into_any();
    }
    view! {
        <ul class="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Your pages">
            {pages.into_iter().map(|p| view! {
                <li class="px-4 py-3"><a href=format!("/pages/{}", p.slug) class=LINK>{p.title}</a></li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
