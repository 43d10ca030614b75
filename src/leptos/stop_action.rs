//! [`StopAction`]: a host app's own way to end the impersonation (a server function,
//! an `Action`, any async closure), run on Leptos's executor.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

type StopFuture = Pin<Box<dyn Future<Output = Result<Option<String>, String>>>>;
type Start = Rc<dyn Fn() -> StopFuture>;

/// A host app's own way to end the impersonation, used instead of the POST to the
/// sign-out URL: a Leptos server function, say.
///
/// The future resolves to `Ok(url)` to send the browser there, `Ok(())` or `Ok(None)`
/// when the app navigates by itself (the bar then shows its ended state), or an error
/// of any type that displays (a `ServerFnError`, a `String`), shown in the bar with
/// Stop offered again. The bar starts it inside the reactive owner of
/// `<Impersonation/>`, so `use_context`, `use_navigate` and server functions work in
/// it as they do in the component's body.
///
/// `Copy` and `Send`: make it wherever it is handy (beside the `Resource` of the
/// session, in a layout above a `<Transition>`) and pass it down. It lives as long as
/// the reactive owner it was made in. On the server it holds nothing: Stop only ever
/// runs in the browser.
#[derive(Clone, Copy)]
pub struct StopAction {
    start: StoredValue<Option<SendWrapper<Start>>>,
}

impl StopAction {
    /// An action from an async closure: `StopAction::new(stop_impersonating)` for a
    /// server function that takes no arguments.
    pub fn new<F, Fut, T, E>(action: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Result<T, E>> + 'static,
        T: StopDestination,
        E: std::fmt::Display,
    {
        #[cfg(feature = "ssr")]
        {
            // Nothing thread-bound is made on a server: the request's owner may be
            // cleaned up on another worker thread.
            drop(action);
            StopAction { start: StoredValue::new(None) }
        }
        #[cfg(not(feature = "ssr"))]
        {
            let start: Start = Rc::new(move || -> StopFuture {
                let future = action();
                Box::pin(async move {
                    match future.await {
                        Ok(done) => Ok(done.destination()),
                        Err(error) => Err(error.to_string()),
                    }
                })
            });
            StopAction { start: StoredValue::new(Some(SendWrapper::new(start))) }
        }
    }

    /// Starts the action on the page's executor, inside `owner`; `done` hears how it
    /// ended. An action whose owner was disposed fails with a message.
    #[cfg_attr(feature = "ssr", allow(dead_code))]
    pub(crate) fn run(
        self,
        owner: Option<Owner>,
        done: impl FnOnce(Result<Option<String>, String>) + 'static,
    ) {
        let Some(Some(start)) = self.start.try_with_value(Option::clone) else {
            return done(Err(String::from("staff-bar: the Stop action is gone (its owner was disposed)")));
        };
        let begin = || leptos::reactive::computed::ScopedFuture::new_untracked(start());
        let future = match &owner {
            Some(owner) => owner.with(begin),
            None => begin(),
        };
        leptos::task::spawn_local(async move { done(future.await) });
    }
}

impl<T, E> From<Action<(), Result<T, E>>> for StopAction
where
    T: StopDestination + Clone + Send + Sync + 'static,
    E: std::fmt::Display + Clone + Send + Sync + 'static,
{
    /// Stop dispatches the action and waits for its answer, so the app's own
    /// `pending()` and `value()` of it follow the Stop too.
    fn from(action: Action<(), Result<T, E>>) -> Self {
        StopAction::dispatching(action, || ())
    }
}

impl<S> From<ServerAction<S>> for StopAction
where
    S: leptos::server_fn::ServerFn + Default + Clone + Send + Sync + 'static,
    S::Output: StopDestination + Clone + Send + Sync + 'static,
    S::Error: std::fmt::Display + Clone + Send + Sync + 'static,
{
    /// A `ServerAction` of a server function without arguments: Stop dispatches it.
    fn from(action: ServerAction<S>) -> Self {
        StopAction::dispatching(action.into(), S::default)
    }
}

impl StopAction {
    /// Stop dispatches `action` with `input()` and resolves with the answer of that
    /// dispatch.
    fn dispatching<I, T, E>(action: Action<I, Result<T, E>>, input: impl Fn() -> I + 'static) -> Self
    where
        I: Send + Sync + 'static,
        T: StopDestination + Clone + Send + Sync + 'static,
        E: std::fmt::Display + Clone + Send + Sync + 'static,
    {
        StopAction::new(move || {
            let (answered, answer) = futures_channel::oneshot::channel();
            let version = action.version().get_untracked();
            action.dispatch(input());
            // The action's own signals say when this dispatch is done.
            let answered = std::cell::Cell::new(Some(answered));
            let watch = Effect::new(move |_| {
                if action.version().get() > version && !action.pending().get() {
                    if let Some(answered) = answered.take() {
                        let _ = answered.send(action.value().get_untracked());
                    }
                }
            });
            async move {
                let answer = answer.await;
                watch.stop();
                match answer {
                    Ok(Some(Ok(done))) => Ok(done),
                    Ok(Some(Err(error))) => Err(error.to_string()),
                    _ => Err(String::from("staff-bar: the Stop action gave no answer")),
                }
            }
        })
    }
}

/// What a [`StopAction`] can succeed with: where to send the browser, if anywhere.
pub trait StopDestination {
    /// The URL to go to, or `None` when the app navigates by itself.
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
