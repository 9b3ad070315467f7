//! The auth state every page shares, provided once by the app.

use crate::auth::api::{get_current_user, Login, Logout, SetupOwner, SignUp};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::members::api::SetCommunityMembership;
use leptos::prelude::*;

/// The session-changing actions and the logged-in user, shared by every page. The user is
/// re-read whenever one of these actions completes, so the header and the guards follow a
/// login or logout without a full page load.
#[derive(Clone, Copy)]
pub struct Auth {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub sign_up: ServerAction<SignUp>,
    pub setup: ServerAction<SetupOwner>,
    pub community: ServerAction<SetCommunityMembership>,
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

impl Auth {
    pub(crate) fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let logout = ServerAction::<Logout>::new();
        let sign_up = ServerAction::<SignUp>::new();
        let setup = ServerAction::<SetupOwner>::new();
        let community = ServerAction::<SetCommunityMembership>::new();
        // Re-read the user only when a session actually changed: a failed login must not
        // re-render the page (and empty the form the person is correcting).
        macro_rules! successes {
            ($action:expr) => {{
                let action = $action;
                Memo::new(move |prev: Option<&usize>| {
                    let version = action.version().get();
                    let ok = action.value().with(|v| matches!(v, Some(Ok(_))));
                    if ok {
                        version
                    } else {
                        prev.copied().unwrap_or(0)
                    }
                })
            }};
        }
        let changes =
            [successes!(login), successes!(logout), successes!(sign_up), successes!(setup), successes!(community)];
        // Blocking: the guards decide (and may redirect) before the first byte is sent.
        let user = Resource::new_blocking(move || changes.map(|m| m.get()), |_| get_current_user());
        Auth { login, logout, sign_up, setup, community, user }
    }
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}
