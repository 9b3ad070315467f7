//! Admin pages for one member: create (email, nickname, first password) and edit (profile and
//! contact details), both plain forms that also work without JavaScript.

use super::community::BadgeList;
use crate::components::classes::BUTTON;
use crate::components::form::{field_error, form_error, Field, FormAlert, SubmitButton, TextArea};
use crate::components::status::{ErrorList, Loading};
use crate::error::AppError;
use crate::members::api::{get_member, CreateMember, SaveMember};
use crate::members::{ContactInput, MemberRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

const SECTION: &str =
    "space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900";
const CANCEL: &str = "text-sm font-medium text-indigo-700 underline dark:text-indigo-300";

#[component]
pub fn NewMemberPage() -> impl IntoView {
    let create = ServerAction::<CreateMember>::new();
    let result = move || create.value().get();
    view! {
        <Title text="New member"/>
        <h1 class="text-2xl font-bold tracking-tight">"New member"</h1>
        <ActionForm action=create attr:novalidate=true attr:class="mt-6 max-w-xl space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <FormAlert message=form_error(result)/>
            <Field label="Email" name="email" r#type="email" autocomplete="off" required=true
                hint="They log in with it; it cannot be changed later." error=field_error(result, "email")/>
            <Field label="Nickname" name="nickname" hint="Optional. Their profile address is made from it." error=field_error(result, "nickname")/>
            <Field label="First password" name="password" r#type="password" autocomplete="new-password" required=true
                hint="At least 8 characters. Give it to the member; they log in with it." error=field_error(result, "password")/>
            <div class="flex items-center gap-4">
                <div class="w-44"><SubmitButton label="Create member" busy_label="Creating…" pending=create.pending()/></div>
                <a href="/dashboard/members" class=CANCEL>"Cancel"</a>
            </div>
        </ActionForm>
    }
}

#[component]
pub fn EditMemberPage() -> impl IntoView {
    let params = use_params_map();
    let member = Resource::new(
        move || params.with(|p| p.get("id")),
        |id| async move {
            match id.as_deref().map(Uuid::parse_str) {
                Some(Ok(id)) => get_member(id).await,
                _ => Err(AppError::MEMBER_NOT_FOUND),
            }
        },
    );
    view! {
        <Title text="Edit member"/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move { member.await.map(|row| view! { <MemberForm row/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn MemberForm(row: MemberRow) -> impl IntoView {
    let save = ServerAction::<SaveMember>::new();
    let result = move || save.value().get();
    let m = row.member;
    let contact = ContactInput::of(&m.contact.clone().unwrap_or_default());
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d %H:%M UTC").to_string();
    view! {
        <div class="flex flex-wrap items-center justify-between gap-3">
            <h1 class="text-2xl font-bold tracking-tight">{m.display_name()}</h1>
            <a href=format!("/dashboard/audit?entity={}", m.id) class=BUTTON>"History"</a>
        </div>
        <dl class="mt-4 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Login email"</dt>
            <dd>{m.login_email.clone()}</dd>
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Status"</dt>
            <dd>{m.status.map(|s| s.label())}</dd>
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Member since"</dt>
            <dd>{date(m.created_at)}</dd>
            <dt class="font-medium text-slate-600 dark:text-slate-300">"Last login"</dt>
            <dd>{m.last_login_at.map(date).unwrap_or_else(|| "Never".into())}</dd>
        </dl>
        <BadgeList badges=row.badges/>
        <ActionForm action=save attr:novalidate=true attr:class="mt-8 grid gap-6 lg:grid-cols-2">
            <input type="hidden" name="id" value=m.id.to_string()/>
            <fieldset class=SECTION>
                <legend class="px-1 text-lg font-semibold">"Profile"</legend>
                <FormAlert message=form_error(result)/>
                <Field label="Nickname" name="nickname" value=text(&m.profile.nickname) error=field_error(result, "nickname")/>
                <Field label="Title" name="title" value=text(&m.profile.title) hint="A line under their name, like “Head gardener”." error=field_error(result, "title")/>
                <Field label="Profile address" name="slug" value=m.profile.slug.clone() required=true
                    hint="Their page is /members/ followed by this." error=field_error(result, "slug")/>
            </fieldset>
            <fieldset class=SECTION>
                <legend class="px-1 text-lg font-semibold">"Contact"</legend>
                <div class="grid gap-4 sm:grid-cols-2">
                    <Field label="First name" name="first_name" value=contact.first_name autocomplete="off" error=field_error(result, "first_name")/>
                    <Field label="Last name" name="last_name" value=contact.last_name autocomplete="off" error=field_error(result, "last_name")/>
                    <Field label="Company" name="company" value=contact.company error=field_error(result, "company")/>
                    <Field label="Job title" name="job_title" value=contact.job_title error=field_error(result, "job_title")/>
                </div>
                <Field label="Birth date" name="birthdate" value=contact.birthdate hint="YYYY-MM-DD" error=field_error(result, "birthdate")/>
                <TextArea label="Phones" name="phones" value=contact.phones hint="One per line." error=field_error(result, "phones")/>
                <TextArea label="Other emails" name="emails" value=contact.emails hint="One per line." error=field_error(result, "emails")/>
            </fieldset>
            <div class="flex items-center gap-4 lg:col-span-2">
                <div class="w-44"><SubmitButton label="Save member" busy_label="Saving…" pending=save.pending()/></div>
                <a href="/dashboard/members" class=CANCEL>"Cancel"</a>
            </div>
        </ActionForm>
    }
}
