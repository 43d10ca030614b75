//! [`StopAction`]: a host app's own way to end the impersonation (a server function,
//! say), run on Leptos's executor inside the component's reactive owner.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type StopFuture = Pin<Box<dyn Future<Output = Result<Option<String>, String>>>>;

/// A host app's own way to end the impersonation, used instead of the POST to the
/// sign-out URL: a Leptos server function, say.
///
/// The future resolves to `Ok(url)` to send the browser there, `Ok(())` or `Ok(None)`
/// when the app navigates by itself (the bar then shows its ended state), or an error
/// of any type that displays (a `ServerFnError`, a `String`), shown in the bar with
/// Stop offered again. `<Impersonation/>` starts it inside its own reactive owner, so
/// `use_context`, `use_navigate` and server functions work in it as they do in the
/// component's body.
///
/// With the `component` feature only: it needs a futures executor, which the
/// `<staff-bar>` core (built without it) does without.
#[derive(Clone)]
pub struct StopAction {
    action: Rc<dyn Fn() -> StopFuture>,
    owner: Option<leptos::prelude::Owner>,
}

impl StopAction {
    pub fn new<F, Fut, T, E>(action: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, E>> + 'static,
        T: StopDestination,
        E: std::fmt::Display,
    {
        let action = move || -> StopFuture {
            let future = action();
            Box::pin(async move {
                match future.await {
                    Ok(done) => Ok(done.destination()),
                    Err(error) => Err(error.to_string()),
                }
            })
        };
        StopAction { action: Rc::new(action), owner: None }
    }

    /// The same action, started inside `owner` (the component's).
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    pub(crate) fn within(self, owner: Option<leptos::prelude::Owner>) -> Self {
        StopAction { owner, ..self }
    }

    /// Starts the action on the page's executor, under its owner when it has one.
    pub(crate) fn spawn(&self, done: impl FnOnce(Result<Option<String>, String>) + 'static) {
        let start = || leptos::reactive::computed::ScopedFuture::new_untracked((self.action)());
        let future = match &self.owner {
            Some(owner) => owner.with(start),
            None => start(),
        };
        leptos::task::spawn_local(async move { done(future.await) });
    }
}

/// What a [`StopAction`] can succeed with: where to send the browser, if anywhere.
pub trait StopDestination {
    fn destination(self) -> Option<String>;
}

impl StopDestination for () {
    fn destination(self) -> Option<String> {
        None
    }
}

impl StopDestination for String {
    fn destination(self) -> Option<String> {
        Some(self)
    }
}

impl StopDestination for Option<String> {
    fn destination(self) -> Option<String> {
        self
    }
}
