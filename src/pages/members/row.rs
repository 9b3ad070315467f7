//! One member's row: a box to select it, who they are, their badges and statuses, and a menu of
//! what an admin can do to them.

use super::badge_panel::BadgePanel;
use super::RowTools;
use crate::components::badge::BadgeChip;
use crate::components::classes::{BUTTON, DANGER};
use crate::domain::{ActivityStatus, MemberStatus, PrivacyStatus};
use crate::members::MemberRow;
use leptos::prelude::*;
use uuid::Uuid;

/// Badges shown in a row; the rest are counted ("+4 more") and all are in the row's badge panel.
/// A row stays one or two lines high however many badges a member collects.
const CHIPS_SHOWN: usize = 3;

#[component]
pub(super) fn MemberTableRow(row: MemberRow, index: usize, tools: RowTools) -> impl IntoView {
    let held = row.badges.clone();
    let m = row.member;
    let id = m.id;
    let name = m.display_name();
    let full_name = m.contact.as_ref().and_then(|c| c.full_name());
    let status = m.status.unwrap_or(MemberStatus::Approved);
    let muted = m.activity_status == Some(ActivityStatus::Muted);
    let date = |d: chrono::DateTime<chrono::Utc>| d.format("%Y-%m-%d").to_string();
    let (panel_name, confirm_name) = (name.clone(), name.clone());
    let (badges_of, confirming) = (tools.badges_of, tools.confirming);
    let holds = held.len();
    view! {
        <tr>
            <td class="px-4 py-2">
                <SelectBox id index name=name.clone() selected=tools.selected/>
            </td>
            <td class="px-4 py-2">
                <a href=format!("/dashboard/members/{id}") class="font-medium text-indigo-700 underline-offset-2 hover:underline dark:text-indigo-300">{name.clone()}</a>
                {full_name.map(|n| view! { <span class="text-slate-600 dark:text-slate-300">{format!(" · {n}")}</span> })}
                <div class="text-slate-600 dark:text-slate-300">{m.login_email.clone()}</div>
            </td>
            <td class="px-4 py-2">
                <div class="flex max-w-xs flex-wrap items-center gap-1">
                    {row.badges.into_iter().take(CHIPS_SHOWN).map(|b| view! {
                        <BadgeChip title=b.title background=b.background_color text=b.text_color icon=b.icon/>
                    }).collect_view()}
                    {(holds > CHIPS_SHOWN).then(|| view! {
                        <span class="text-xs text-slate-600 dark:text-slate-300">{format!("+{} more", holds - CHIPS_SHOWN)}</span>
                    })}
                </div>
            </td>
            <td class="whitespace-nowrap px-4 py-2">
                {status.label()}
                {muted.then(|| view! { <span class="ml-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">"Muted"</span> })}
            </td>
            <td class="px-4 py-2">{if m.privacy_status == Some(PrivacyStatus::Public) { "Joined" } else { "Private" }}</td>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{date(m.created_at)}</td>
            <td class="whitespace-nowrap px-4 py-2 tabular-nums">{m.last_login_at.map(date).unwrap_or_else(|| "Never".into())}</td>
            <td class="px-4 py-2">
                <RowActions id name status muted tools/>
                <Show when=move || badges_of.get() == Some(id)>
                    <BadgePanel member_id=id name=panel_name.clone() held=held.clone() tools/>
                </Show>
                <Show when=move || confirming.get() == Some(id)>
                    <DeleteConfirm id name=confirm_name.clone() holds tools/>
                </Show>
            </td>
        </tr>
    }
}

/// The row's box: it belongs to the bulk form above the table (forms cannot nest in a row).
#[component]
fn SelectBox(id: Uuid, index: usize, name: String, selected: RwSignal<Vec<Uuid>>) -> impl IntoView {
    view! {
        <input type="checkbox" form="bulk-form" name=format!("member_ids[{index}]") value=id.to_string()
            aria-label=format!("Select {name}")
            prop:checked=move || selected.with(|s| s.contains(&id))
            on:change:target=move |ev| {
                let on = ev.target().checked();
                selected.update(|s| {
                    s.retain(|m| *m != id);
                    if on {
                        s.push(id);
                    }
                });
            }
            class="h-4 w-4 rounded border-slate-300"/>
    }
}

/// The row's menu: a menu per row keeps the table narrow; `<details>` opens from the keyboard
/// too.
#[component]
fn RowActions(id: Uuid, name: String, status: MemberStatus, muted: bool, tools: RowTools) -> impl IntoView {
    let RowTools { act, badges_of, confirming, .. } = tools;
    let action = move |action: &'static str, label: String, text: &'static str| {
        view! {
            <ActionForm action=act attr:class="block">
                <input type="hidden" name="id" value=id.to_string()/>
                <input type="hidden" name="action" value=action/>
                <button type="submit" class=BUTTON aria-label=label>{text}</button>
            </ActionForm>
        }
    };
    view! {
        <details class="relative text-right">
            <summary class=format!("{BUTTON} inline-block cursor-pointer list-none") title=format!("Actions for {name}")>"Actions"</summary>
            <div class="absolute right-0 z-10 mt-1 flex min-w-32 flex-col gap-1 rounded-md border border-slate-200 bg-white p-2 text-left shadow-lg dark:border-slate-700 dark:bg-slate-900 [&_button]:w-full">
                <a href=format!("/dashboard/members/{id}") class=BUTTON aria-label=format!("Edit {name}")>"Edit"</a>
                {match status {
                    MemberStatus::Pending => Some(action("approve", format!("Approve {name}"), "Approve")),
                    MemberStatus::Blocked => Some(action("approve", format!("Unblock {name}"), "Unblock")),
                    _ => None,
                }}
                {(status != MemberStatus::Blocked).then(|| action("block", format!("Block {name}"), "Block"))}
                {if muted { action("unmute", format!("Unmute {name}"), "Unmute") } else { action("mute", format!("Mute {name}"), "Mute") }}
                <button type="button" class=BUTTON aria-label=format!("Badges of {name}") on:click=move |_| badges_of.set(Some(id))>"Badges…"</button>
                <button type="button" class=BUTTON aria-label=format!("Delete {name}") on:click=move |_| confirming.set(Some(id))>"Delete"</button>
            </div>
        </details>
    }
}

/// "Delete this member?", saying what goes with them.
#[component]
fn DeleteConfirm(id: Uuid, name: String, holds: usize, tools: RowTools) -> impl IntoView {
    let RowTools { delete, confirming, .. } = tools;
    let badges = match holds {
        0 => "badges (none)".to_owned(),
        1 => "1 badge".to_owned(),
        n => format!("{n} badges"),
    };
    view! {
        <div role="alertdialog" aria-label=format!("Delete {name}?") class="mt-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            <p>{format!("Delete {name}? Their account, profile and {badges} go too. This cannot be undone.")}</p>
            <div class="mt-2 flex gap-2">
                <ActionForm action=delete>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class=DANGER>"Delete member"</button>
                </ActionForm>
                <button type="button" class=BUTTON on:click=move |_| confirming.set(None)>"Cancel"</button>
            </div>
        </div>
    }
}
