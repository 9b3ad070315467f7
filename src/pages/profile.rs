//! The logged-in member's own page: their account, their standing, and joining or leaving the
//! community in one click.

use super::community::{Avatar, BadgeList};
use super::layout::PageFrame;
use crate::auth::context::use_auth;
use crate::auth::OwnMember;
use crate::components::classes::BUTTON;
use crate::components::form::{field_error, form_error, Field, FormAlert, FormSuccess, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::domain::{MemberStatus, PrivacyStatus};
use crate::error::AppError;
use crate::members::api::{my_profile, UpdateMyProfile};
use crate::members::api::{upload_photo, RemovePhoto};
use crate::members::MemberView;
use crate::query_string::encode_query_value;
use crate::uploads::{chosen_file, PHOTO_ACCEPT};
use leptos::prelude::*;
use leptos::web_sys::FormData;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let location = use_location();
    view! {
        <Title text="Your profile"/>
        <PageFrame let:user>
            <main id="main" class="mx-auto max-w-3xl px-4 py-10">
                {match user {
                    Some(user) => match user.member {
                        Some(member) if member.status == MemberStatus::Pending => view! { <AwaitingApproval/> }.into_any(),
                        Some(member) => view! { <OwnProfile email=user.email member/> }.into_any(),
                        None => view! {
                            <h1 class="text-2xl font-bold tracking-tight">"Your profile"</h1>
                            <p class="mt-4">"You are logged in as "{user.email}", an administrator account without a member profile. "
                                <a href="/dashboard" class="font-medium text-indigo-700 underline dark:text-indigo-300">"Open the dashboard"</a></p>
                        }.into_any(),
                    },
                    None => {
                        let next = encode_query_value(&location.pathname.get_untracked());
                        view! { <Redirect path=format!("/login?next={next}")/> }.into_any()
                    }
                }}
            </main>
        </PageFrame>
    }
}

#[component]
fn AwaitingApproval() -> impl IntoView {
    view! {
        <h1 class="text-2xl font-bold tracking-tight">"Waiting for approval"</h1>
        <p class="mt-4 text-slate-600 dark:text-slate-300">
            "Thanks for signing up. An admin of this site approves new members; you can use the community once they have."
        </p>
    }
}

#[component]
fn OwnProfile(email: String, member: OwnMember) -> impl IntoView {
    let action = use_auth().community;
    let joined = member.privacy_status == PrivacyStatus::Public;
    let result = move || action.value().get();
    view! {
        <h1 class="text-2xl font-bold tracking-tight">{member.nickname.clone().unwrap_or_else(|| member.slug.clone())}</h1>
        <dl class="mt-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-2">
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Email"</dt>
            <dd>{email}</dd>
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Profile address"</dt>
            <dd><a href=format!("/members/{}", member.slug) class="font-medium text-indigo-700 underline dark:text-indigo-300">{format!("/members/{}", member.slug)}</a></dd>
        </dl>
        <section aria-labelledby="community-heading" class="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="community-heading" class="text-lg font-semibold">"Community"</h2>
            <p class="mt-2" role="status">
                {if joined {
                    "You are in the community: other members and visitors can see your profile and badges."
                } else {
                    "Your profile is private: only you and the site’s admins can see it."
                }}
            </p>
            <FormAlert message=form_error(result)/>
            <ActionForm action=action attr:class="mt-4">
                <input type="hidden" name="join" value=(!joined).to_string()/>
                <button type="submit" disabled=move || action.pending().get()
                    class="rounded-md bg-indigo-600 px-4 py-2 font-semibold text-white shadow-sm hover:bg-indigo-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 disabled:opacity-70 dark:focus-visible:ring-offset-slate-950">
                    {if joined { "Leave the community" } else { "Join the community" }}
                </button>
            </ActionForm>
        </section>
        <YourPages/>
        <EditOwnProfile/>
        <section aria-labelledby="api-heading" class="mt-8">
            <h2 id="api-heading" class="text-lg font-semibold">"API access"</h2>
            <super::api_keys::KeyManager site=false/>
        </section>
        <Sessions/>
    }
}

/// The members-only pages this member can open (the same list as `/pages`).
#[component]
fn YourPages() -> impl IntoView {
    let pages = Resource::new(|| (), |_| crate::member_pages::api::your_pages());
    view! {
        <section aria-labelledby="your-pages-heading" class="mt-8">
            <h2 id="your-pages-heading" class="text-lg font-semibold">"Your pages"</h2>
            <Transition fallback=Loading>
                {move || Suspend::new(async move {
                    pages.await.map(|pages| view! { <super::page_view::PageLinks pages/> })
                })}
            </Transition>
        </section>
    }
}

/// Ends the member's logins on every device. A plain form: the post ends this session too, so
/// the browser follows the server's redirect to the login page with a full page load.
#[component]
fn Sessions() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    view! {
        <section aria-labelledby="sessions-heading" class="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="sessions-heading" class="text-lg font-semibold">"Your logins"</h2>
            <p class="mt-2 text-slate-600 dark:text-slate-300">"Lost a device, or logged in somewhere you should not have? End every login, this one included."</p>
            <form method="post" action=crate::auth::api::LogoutEverywhere::PATH class="mt-4">
                <button type="submit" class=BUTTON>"Log out everywhere"</button>
            </form>
        </section>
    }
}

/// The member's own profile details and badges, editable in place.
#[component]
fn EditOwnProfile() -> impl IntoView {
    let save = ServerAction::<UpdateMyProfile>::new();
    let result = move || save.value().get();
    let photo = Action::new_local(|data: &FormData| upload_photo(data.clone().into()));
    let remove = ServerAction::<RemovePhoto>::new();
    let profile =
        Resource::new(move || (save.version().get(), photo.version().get(), remove.version().get()), |_| my_profile());
    let saved = Signal::derive(move || matches!(save.value().get(), Some(Ok(_))).then(|| "Profile saved.".to_owned()));
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    profile.await.map(|p| {
                        let m = p.member;
                        let m_for_photo = m.clone();
                        let text = |v: &Option<String>| v.clone().unwrap_or_default();
                        view! {
                            <section aria-labelledby="details-heading" class="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
                                <h2 id="details-heading" class="text-lg font-semibold">"Profile details"</h2>
                                <ActionForm action=save attr:novalidate=true attr:class="mt-4 space-y-4">
                                    <FormAlert message=form_error(result)/>
                                    <Field label="Nickname" name="nickname" value=text(&m.profile.nickname)
                                        hint="Shown on your profile and in the community instead of your address." error=field_error(result, "nickname")/>
                                    <Field label="Title" name="title" value=text(&m.profile.title)
                                        hint="A line under your name, like “Head gardener”." error=field_error(result, "title")/>
                                    <Field label="Profile address" name="slug" value=m.profile.slug.clone() required=true
                                        hint="Your page is /members/ followed by this: lowercase letters, digits and hyphens." error=field_error(result, "slug")/>
                                    <div class="flex items-center gap-4">
                                        <div class="w-40"><SubmitButton label="Save profile" busy_label="Saving…" pending=save.pending()/></div>
                                        <FormSuccess message=saved/>
                                    </div>
                                </ActionForm>
                            </section>
                            <PhotoSection member=m_for_photo photo remove/>
                            <BadgeList badges=p.badges/>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The member's photo: shown, replaced by choosing a file (uploaded at once), or removed.
#[component]
fn PhotoSection(
    member: MemberView,
    photo: Action<FormData, Result<MemberView, AppError>>,
    remove: ServerAction<RemovePhoto>,
) -> impl IntoView {
    let local_error = RwSignal::new(None::<String>);
    let error = Signal::derive(move || {
        local_error.get().or_else(|| match photo.value().get() {
            Some(Err(e)) => Some(e.field_message("photo").unwrap_or_else(|| e.to_string())),
            _ => None,
        })
    });
    let has_photo = member.profile.photo_url.is_some();
    view! {
        <section aria-labelledby="photo-heading" class="mt-8 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="photo-heading" class="text-lg font-semibold">"Photo"</h2>
            <div class="mt-4 flex flex-wrap items-center gap-4">
                <Avatar member size="h-20 w-20"/>
                <div class="space-y-2">
                    <label for="photo-file" class="block text-sm font-medium text-slate-700 dark:text-slate-200">
                        {if has_photo { "Replace your photo" } else { "Add a photo" }}
                    </label>
                    <input id="photo-file" type="file" accept=PHOTO_ACCEPT aria-describedby="photo-hint photo-error"
                        aria-invalid=move || error.get().is_some().then_some("true")
                        on:change:target=move |ev| match chosen_file(&ev.target()) {
                            Some(Ok(data)) => {
                                local_error.set(None);
                                photo.dispatch_local(data);
                            }
                            Some(Err(message)) => local_error.set(Some(message)),
                            None => {}
                        }
                        class="block text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:font-medium hover:file:bg-slate-200 dark:file:bg-slate-800"/>
                    <p id="photo-hint" class="text-sm text-slate-500 dark:text-slate-400">"PNG, JPEG, WebP or GIF, up to 1 MB. Camera details and location are removed."</p>
                    <p role="status" class="text-sm">{move || photo.pending().get().then_some("Uploading…")}</p>
                    <p id="photo-error" class="text-sm font-medium text-red-700 empty:hidden dark:text-red-400">{move || error.get()}</p>
                </div>
                {has_photo.then(|| view! {
                    <ActionForm action=remove>
                        <button type="submit" class=BUTTON>"Remove photo"</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}
