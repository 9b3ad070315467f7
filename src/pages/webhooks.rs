//! Dashboard → Settings → Webhooks: add a receiver, choose its events and body format, pause,
//! delete, send a test event; and each endpoint's delivery log with "redeliver".

use crate::components::classes::{BUTTON, DANGER, EMPTY};
use crate::components::form::{field_error, form_error, Field, FormAlert, SubmitButton};
use crate::components::status::{ErrorList, Loading};
use crate::domain::webhook::{EventType, WebhookFormat};
use crate::webhooks::api::{
    get_delivery_log, get_webhooks, AddWebhook, DeleteWebhook, PauseWebhook, Redeliver, SendTestEvent,
};
use crate::webhooks::{DeliveryLog, Endpoint, LogEntry};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use uuid::Uuid;

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[component]
pub fn WebhookSettingsPage() -> impl IntoView {
    let add = ServerAction::<AddWebhook>::new();
    let pause = ServerAction::<PauseWebhook>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let test = ServerAction::<SendTestEvent>::new();
    let page =
        Resource::new(move || (add.version().get(), pause.version().get(), delete.version().get()), |_| get_webhooks());
    let added = move || add.value().get();
    view! {
        <Title text="Webhooks"/>
        <h1 class="text-2xl font-bold tracking-tight">"Webhooks"</h1>
        <p class="mt-2 max-w-2xl text-slate-600 dark:text-slate-300">
            "Insignia posts each change you choose to your receivers (a loyalty app, a CRM) moments after it happens, signed so they can tell it came from here. A receiver that fails is tried again for about a day."
        </p>
        <section aria-labelledby="new-webhook-heading" class="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
            <h2 id="new-webhook-heading" class="text-lg font-semibold">"New webhook"</h2>
            <ActionForm action=add attr:class="mt-4 space-y-4" attr:novalidate=true>
                <FormAlert message=form_error(added)/>
                <Field label="Receiver URL" name="url" r#type="url" required=true
                    hint="https://…, or http://localhost… for a receiver on this machine. It is not called until an event happens."
                    error=field_error(added, "url")/>
                <fieldset>
                    <legend class="text-sm font-medium text-slate-700 dark:text-slate-200">"Body format"</legend>
                    <div class="mt-2 space-y-2">
                        <label class="flex items-start gap-2">
                            <input type="radio" name="format" value=WebhookFormat::Sdk.as_str() checked=true class="mt-1"/>
                            <span>"SDK-compatible: a JWT signed with this site’s key, for the published SDK’s "<code>"webhooks.process()"</code></span>
                        </label>
                        <label class="flex items-start gap-2">
                            <input type="radio" name="format" value=WebhookFormat::Standard.as_str() class="mt-1"/>
                            <span>"Standard Webhooks: JSON with "<code>"webhook-signature"</code>" headers, checked with the endpoint’s own secret"</span>
                        </label>
                    </div>
                    {move || field_error(added, "format").get().map(|e| view! { <p class="mt-1 text-sm font-medium text-red-700 dark:text-red-400">{e}</p> })}
                </fieldset>
                <fieldset aria-describedby="event-types-error">
                    <legend class="text-sm font-medium text-slate-700 dark:text-slate-200">"Events"</legend>
                    <div class="mt-2 grid gap-2 sm:grid-cols-2">
                        {EventType::ALL.into_iter().enumerate().map(|(i, t)| {
                            let id = format!("event-{i}");
                            view! {
                                <div class="flex items-start gap-2">
                                    <input id=id.clone() type="checkbox" name=format!("event_types[{i}]") value=t.as_str() class="mt-1 h-4 w-4 rounded border-slate-300"/>
                                    <label for=id>{t.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    {move || field_error(added, "event_types").get().map(|e| view! { <p id="event-types-error" class="mt-1 text-sm font-medium text-red-700 dark:text-red-400">{e}</p> })}
                </fieldset>
                <div class="w-44"><SubmitButton label="Add webhook" busy_label="Adding…" pending=add.pending()/></div>
            </ActionForm>
        </section>
        <FormAlert message=form_error(move || pause.value().get())/>
        <FormAlert message=form_error(move || delete.value().get())/>
        <FormAlert message=form_error(move || test.value().get())/>
        <p role="status" class="mt-4 text-sm text-emerald-800 dark:text-emerald-300">
            {move || matches!(test.value().get(), Some(Ok(()))).then_some("Test event queued: it shows in the delivery log in a moment.")}
        </p>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move {
                    page.await.map(|p| view! {
                        <section aria-labelledby="webhooks-heading" class="mt-6 max-w-4xl">
                            <h2 id="webhooks-heading" class="text-lg font-semibold">"Receivers"</h2>
                            {if p.endpoints.is_empty() {
                                view! { <p class=EMPTY>"No webhooks yet. Add a receiver above to be told of changes as they happen."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="mt-3 space-y-3" aria-label="Webhooks">
                                        {p.endpoints.into_iter().map(|e| view! { <EndpointItem endpoint=e pause delete test/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="key-heading" class="mt-8 max-w-2xl">
                            <h2 id="key-heading" class="text-lg font-semibold">"Public key"</h2>
                            <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
                                "SDK-format receivers verify deliveries with this key: "<code>"AppStrategy({ publicKey })"</code>". Copy it with its line breaks."
                            </p>
                            <pre aria-label="Public key" class="mt-2 overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs dark:border-slate-800 dark:bg-slate-950">{p.public_key_pem}</pre>
                        </section>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn EndpointItem(
    endpoint: Endpoint,
    pause: ServerAction<PauseWebhook>,
    delete: ServerAction<DeleteWebhook>,
    test: ServerAction<SendTestEvent>,
) -> impl IntoView {
    let id = endpoint.id.to_string();
    let format = match endpoint.format {
        WebhookFormat::Sdk => "SDK-compatible (JWT)",
        WebhookFormat::Standard => "Standard Webhooks",
    };
    let state = match (endpoint.paused, endpoint.failing_since) {
        (true, _) => view! { <span class="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 dark:bg-slate-800 dark:text-slate-200">"Paused"</span> }.into_any(),
        (false, Some(since)) => view! { <span class="rounded bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">{format!("Failing since {}", time(since))}</span> }.into_any(),
        (false, None) => view! { <span class="rounded bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">"Active"</span> }.into_any(),
    };
    let events: Vec<&str> = endpoint.event_types.iter().map(|t| t.label()).collect();
    let confirming = RwSignal::new(false);
    let url = endpoint.url.clone();
    // each form's children own their values
    let (test_id, pause_id, delete_id) = (id.clone(), id.clone(), id.clone());
    let test_label = format!("Send a test event to {url}");
    let log_label = format!("Delivery log of {url}");
    let secret_label = format!("Signing secret of {url}");
    let paused = endpoint.paused;
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <div class="flex flex-wrap items-center gap-2">
                <span class="break-all font-mono text-sm font-medium">{endpoint.url.clone()}</span>
                {state}
            </div>
            <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">{format}" · "{events.join(", ")}</p>
            {endpoint.secret.clone().map(|secret| view! {
                <details class="mt-2 text-sm">
                    <summary class="cursor-pointer">"Signing secret"</summary>
                    <input readonly aria-label=secret_label value=secret class="mt-1 block w-full rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs text-slate-900"/>
                </details>
            })}
            <div class="mt-3 flex flex-wrap gap-2">
                <ActionForm action=test>
                    <input type="hidden" name="id" value=test_id/>
                    <button type="submit" class=BUTTON aria-label=test_label>"Send test event"</button>
                </ActionForm>
                <a href=format!("/dashboard/settings/webhooks/{id}") class=BUTTON aria-label=log_label>"Delivery log"</a>
                <ActionForm action=pause>
                    <input type="hidden" name="id" value=pause_id/>
                    <input type="hidden" name="paused" value=(!paused).to_string()/>
                    <button type="submit" class=BUTTON>{if paused { "Resume" } else { "Pause" }}</button>
                </ActionForm>
                <ActionForm action=delete attr:class="flex items-center gap-2">
                    <input type="hidden" name="id" value=delete_id/>
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class=BUTTON on:click=move |_| confirming.set(true)>"Delete"</button>
                    }>
                        <span class="text-sm">"Delete this webhook and its log?"</span>
                        <button type="submit" class=DANGER>"Yes, delete"</button>
                        <button type="button" class=BUTTON on:click=move |_| confirming.set(false)>"Keep"</button>
                    </Show>
                </ActionForm>
            </div>
        </li>
    }
}

/// Dashboard → Settings → Webhooks → one endpoint's delivery log.
#[component]
pub fn DeliveryLogPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let redeliver = ServerAction::<Redeliver>::new();
    let log = Resource::new(
        move || (params.with(|p| p.get("id")), query.with(|q| q.get("older")), redeliver.version().get()),
        |(id, older, _)| async move {
            let id = id.and_then(|i| Uuid::parse_str(&i).ok()).ok_or(crate::error::AppError::NOT_FOUND)?;
            get_delivery_log(id, older.and_then(|o| o.parse().ok())).await
        },
    );
    view! {
        <Title text="Delivery log"/>
        <p><a href="/dashboard/settings/webhooks" class="text-sm text-indigo-700 underline dark:text-indigo-300">"← Webhooks"</a></p>
        <h1 class="mt-2 text-2xl font-bold tracking-tight">"Delivery log"</h1>
        <FormAlert message=form_error(move || redeliver.value().get())/>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=|errors| view! { <ErrorList errors/> }>
                {move || Suspend::new(async move { log.await.map(|l| view! { <LogTable log=l redeliver/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn LogTable(log: DeliveryLog, redeliver: ServerAction<Redeliver>) -> impl IntoView {
    let endpoint = log.endpoint.id.to_string();
    let header = view! { <p class="mt-1 break-all font-mono text-sm text-slate-600 dark:text-slate-300">{log.endpoint.url.clone()}</p> };
    if log.entries.is_empty() {
        return view! {
            {header}
            <p class=EMPTY>"Nothing sent yet. Deliveries show here as they are attempted; “Send test event” on the Webhooks page sends one now."</p>
        }
        .into_any();
    }
    let older = log.older.map(|o| format!("/dashboard/settings/webhooks/{endpoint}?older={o}"));
    view! {
        {header}
        <div class="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table class="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
                <caption class="sr-only">"Attempts, newest first"</caption>
                <thead class="bg-slate-50 text-left dark:bg-slate-800">
                    <tr>
                        <th scope="col" class="px-3 py-2 font-semibold">"Time"</th>
                        <th scope="col" class="px-3 py-2 font-semibold">"Event"</th>
                        <th scope="col" class="px-3 py-2 font-semibold">"Attempt"</th>
                        <th scope="col" class="px-3 py-2 font-semibold">"Status"</th>
                        <th scope="col" class="px-3 py-2 font-semibold">"Duration"</th>
                        <th scope="col" class="px-3 py-2 font-semibold">"Next retry"</th>
                        <th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 dark:divide-slate-800">
                    {log.entries.into_iter().map(|e| view! { <LogRow entry=e endpoint=endpoint.clone() redeliver/> }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="mt-4 flex gap-3">
            {older.map(|href| view! { <a href=href class=BUTTON rel="next">"Older"</a> })}
        </nav>
    }
    .into_any()
}

#[component]
fn LogRow(entry: LogEntry, endpoint: String, redeliver: ServerAction<Redeliver>) -> impl IntoView {
    let status = match (entry.status_code, &entry.error) {
        (Some(code), None) => format!("{code} delivered"),
        (Some(code), Some(_)) => format!("{code} failed"),
        (None, Some(error)) => format!("failed: {error}"),
        (None, None) => "—".to_owned(),
    };
    let next = match (entry.next_retry, entry.delivery_status.as_str()) {
        (Some(t), _) => time(t),
        (None, "FAILED") => "gave up".to_owned(),
        _ => "—".to_owned(),
    };
    let event = entry.event_type.rsplit('.').next().unwrap_or_default().to_owned();
    view! {
        <tr>
            <td class="whitespace-nowrap px-3 py-2 tabular-nums">{time(entry.at)}</td>
            <td class="px-3 py-2"><span title=entry.event_id.to_string()>{event}</span></td>
            <td class="px-3 py-2 tabular-nums">{entry.attempt}</td>
            <td class="px-3 py-2">{status}</td>
            <td class="px-3 py-2 tabular-nums">{format!("{} ms", entry.duration_ms)}</td>
            <td class="whitespace-nowrap px-3 py-2 tabular-nums">{next}</td>
            <td class="px-3 py-2 text-right">
                <ActionForm action=redeliver>
                    <input type="hidden" name="id" value=endpoint/>
                    <input type="hidden" name="delivery_id" value=entry.delivery_id.to_string()/>
                    <button type="submit" class=BUTTON aria-label=format!("Redeliver delivery {}", entry.delivery_id)>"Redeliver"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
