//! API keys and personal tokens: create one (its secret shown once), see when each was last
//! used, revoke. An admin sees the site's keys with their scopes (Settings → API keys); a
//! member their own tokens (a section of the profile page).

use crate::auth::key_api::{my_keys, CreateKey, CreatedKeyView, KeyView, RevokeKey};
use crate::components::classes::{BUTTON, EMPTY};
use crate::components::form::{field_error, form_error, Field, FormAlert, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::domain::Scope;
use leptos::prelude::*;
use leptos_meta::Title;

/// Dashboard → Settings → API keys.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    view! {
        <Title text="API keys"/>
        <h1 class="text-2xl font-bold tracking-tight">"API keys"</h1>
        <p class="mt-2 max-w-2xl text-slate-600 dark:text-slate-300">
            "Programs use a key to call this site’s REST API (documented at "
            <a href="/api" class="font-medium text-indigo-700 underline dark:text-indigo-300">"/api"</a>
            "). Give each program its own key with only the scopes it needs, and revoke a key as soon as it is no longer used."
        </p>
        <KeyManager site=true/>
    }
}

/// Create, list and revoke the caller's keys; `site` says whether they are the site's keys
/// (with scopes) or a member's tokens.
#[component]
pub fn KeyManager(site: bool) -> impl IntoView {
    let create = ServerAction::<CreateKey>::new();
    let revoke = ServerAction::<RevokeKey>::new();
    let keys = Resource::new(move || (create.version().get(), revoke.version().get()), |_| my_keys());
    let created = move || create.value().get();
    let fresh = Signal::derive(move || created().and_then(Result::ok));
    view! {
        <section aria-labelledby="new-key-heading" class="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="new-key-heading" class="text-lg font-semibold">{if site { "New API key" } else { "New personal token" }}</h2>
            {(!site).then(|| view! {
                <p class="mt-2 text-slate-600 dark:text-slate-300">
                    "A token lets a program act as you through the REST API: it can do what you can, and no more."
                </p>
            })}
            <ActionForm action=create attr:class="mt-4 space-y-4" attr:novalidate=true>
                <FormAlert message=form_error(created)/>
                <Field label="Name" name="name" required=true hint="What will use it, e.g. “Loyalty app”." error=field_error(created, "name")/>
                {site.then(|| view! { <ScopeChoice error=field_error(created, "scopes")/> })}
                <div class="w-44"><SubmitButton label=if site { "Create key" } else { "Create token" } busy_label="Creating…" pending=create.pending()/></div>
            </ActionForm>
            {move || fresh.get().map(|c| view! { <NewSecret created=c/> })}
        </section>
        <section aria-labelledby="keys-heading" class="mt-8 max-w-3xl">
            <h2 id="keys-heading" class="text-lg font-semibold">{if site { "Keys" } else { "Your tokens" }}</h2>
            <FormAlert message=form_error(move || revoke.value().get())/>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                    {move || Suspend::new(async move {
                        keys.await.map(|keys| view! { <KeyTable keys revoke site/> })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// One box per scope; `manage` includes `read`.
#[component]
fn ScopeChoice(error: Signal<Option<String>>) -> impl IntoView {
    let field = |scope: Scope| scope.as_str().replace('.', "_");
    view! {
        <fieldset aria-describedby="scopes-error">
            <legend class="text-sm font-medium text-slate-700 dark:text-slate-200">"Scopes"</legend>
            <div class="mt-2 grid gap-2 sm:grid-cols-2">
                {Scope::ALL.into_iter().map(|scope| {
                    let id = format!("scope-{}", field(scope));
                    view! {
                        <div class="flex items-center gap-2">
                            <input id=id.clone() type="checkbox" name=field(scope) value="on" class="h-4 w-4 rounded border-slate-300"/>
                            <label for=id>{scope.label()}<span class="ml-1 font-mono text-xs text-slate-500 dark:text-slate-400">{scope.as_str()}</span></label>
                        </div>
                    }
                }).collect_view()}
            </div>
            {move || error.get().map(|e| view! { <p id="scopes-error" class="mt-1 text-sm font-medium text-red-700 dark:text-red-400">{e}</p> })}
        </fieldset>
    }
}

/// The secret of a key just made, with the warning that it is shown only now.
#[component]
fn NewSecret(created: CreatedKeyView) -> impl IntoView {
    view! {
        <div role="status" class="mt-4 rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
            <p class="font-semibold">{format!("“{}” was created. Copy its secret now: it is not shown again.", created.key.name)}</p>
            <label for="new-secret" class="mt-2 block text-sm font-medium">"Secret"</label>
            <input id="new-secret" readonly value=created.secret.clone() class="mt-1 block w-full rounded border border-amber-300 bg-white px-2 py-1 font-mono text-sm text-slate-900"
                on:focus:target=move |ev| ev.target().select()/>
        </div>
    }
}

#[component]
fn KeyTable(keys: Vec<KeyView>, revoke: ServerAction<RevokeKey>, site: bool) -> impl IntoView {
    if keys.is_empty() {
        return view! { <p class=EMPTY>{if site { "No API keys yet." } else { "No tokens yet." }}</p> }.into_any();
    }
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d %H:%M UTC").to_string();
    view! {
        <div class="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <thead class="bg-slate-50 text-left dark:bg-slate-800">
                    <tr>
                        <th scope="col" class="px-4 py-2 font-semibold">"Name"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Key starts with"</th>
                        {site.then(|| view! { <th scope="col" class="px-4 py-2 font-semibold">"Scopes"</th> })}
                        <th scope="col" class="px-4 py-2 font-semibold">"Created"</th>
                        <th scope="col" class="px-4 py-2 font-semibold">"Last used"</th>
                        <th scope="col" class="px-4 py-2"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {keys.into_iter().map(|k| view! {
                        <tr>
                            <td class="px-4 py-2 font-medium">{k.name.clone()}</td>
                            <td class="px-4 py-2 font-mono">{format!("{}…", k.prefix)}</td>
                            {site.then(|| view! { <td class="px-4 py-2 font-mono text-xs">{k.scopes.replace(',', ", ")}</td> })}
                            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{date(k.created_at)}</td>
                            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{k.last_used_at.map(date).unwrap_or_else(|| "Never".into())}</td>
                            <td class="px-4 py-2 text-right">
                                <ActionForm action=revoke>
                                    <input type="hidden" name="prefix" value=k.prefix.clone()/>
                                    <button type="submit" class=BUTTON aria-label=format!("Revoke {}", k.name)>"Revoke"</button>
                                </ActionForm>
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
