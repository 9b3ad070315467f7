//! The one-step "move up / move down" buttons of a list in display order (badges, pages).

use crate::components::classes::BUTTON;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos::web_sys::FormData;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// One step up or down for the row `id`, through the list's move function (which takes `id`
/// and `to`). A form, so it works before the page is interactive too. The bounds are those of
/// `ActionForm`.
#[component]
pub fn MoveButton<ServFn, OutputProtocol>(
    id: Uuid,
    to: &'static str,
    label: String,
    symbol: &'static str,
    enabled: bool,
    mover: ServerAction<ServFn>,
) -> impl IntoView
where
    ServFn: DeserializeOwned + ServerFn<Protocol = Http<PostUrl, OutputProtocol>> + Clone + Send + Sync + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData: From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
    OutputProtocol: 'static,
{
    view! {
        <ActionForm action=mover attr:class="inline">
            <input type="hidden" name="id" value=id.to_string()/>
            <input type="hidden" name="to" value=to/>
            <button type="submit" class=BUTTON aria-label=label title=if to == "up" { "Move up" } else { "Move down" }
                disabled=!enabled>
                {symbol}
            </button>
        </ActionForm>
    }
}
