//! A page's view of live changes: a number that goes up whenever a change of the kinds it shows
//! arrives, for its resources to read again on. On the server (and before the page is
//! interactive) it stays 0: the page as rendered is already current.

use leptos::prelude::*;

/// Follows `/dashboard/live` for as long as the calling component lives; `kinds` are the
/// entity types that matter to the page (`badge`, `badge_assignment`, `member`). The browser's
/// EventSource reconnects by itself (with `Last-Event-ID`) after a lost connection or a 503.
pub fn live_changes(kinds: &'static [&'static str]) -> ReadSignal<u64> {
    let (version, set_version) = signal(0_u64);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| connect(kinds, set_version));
    #[cfg(not(feature = "hydrate"))]
    let _ = (kinds, set_version);
    version
}

/// Changes arriving within this long of each other make one refresh: a run of 100,000
/// assignments must not read the page 100,000 times.
#[cfg(feature = "hydrate")]
const SETTLE: std::time::Duration = std::time::Duration::from_millis(300);

#[cfg(feature = "hydrate")]
fn connect(kinds: &'static [&'static str], set_version: WriteSignal<u64>) {
    use send_wrapper::SendWrapper;
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new(super::PATH) else { return };
    let waiting = Rc::new(Cell::new(false));
    let bump = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        if !waiting.replace(true) {
            let waiting = waiting.clone();
            set_timeout(
                move || {
                    waiting.set(false);
                    set_version.update(|v| *v += 1);
                },
                SETTLE,
            );
        }
    });
    // a change is sent as an event named for its entity type; "resync" asks for everything
    for kind in kinds.iter().copied().chain(["resync"]) {
        let _ = source.add_event_listener_with_callback(kind, bump.as_ref().unchecked_ref());
    }
    let held = SendWrapper::new((source, bump));
    on_cleanup(move || held.take().0.close());
}
