//! Who is signed in, shared by the header and the pages.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use market_domain::wire::Account;

#[derive(Clone, Copy)]
pub struct Session {
    pub account: RwSignal<Option<Account>>,
    /// False until the first `/api/auth/me` answer, so pages don't redirect too early.
    pub checked: RwSignal<bool>,
}

impl Session {
    pub fn load() -> Session {
        let session = Session {
            account: RwSignal::new(None),
            checked: RwSignal::new(false),
        };
        spawn_local(async move {
            if let Ok(account) = api::me().await {
                session.account.set(account);
            }
            session.checked.set(true);
        });
        session
    }

    pub fn signed_in(&self, account: Account) {
        self.account.set(Some(account));
        self.checked.set(true);
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().expect("Session is provided at the root")
}
