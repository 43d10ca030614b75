//! What the server functions need from the server that mounts this app.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use http::request::Parts;
use http::HeaderValue;
use staff_bar::Session;

/// Where a finished sign-out sends the browser, and the cookies that end it there.
pub struct SignedOut {
    pub redirect_to: String,
    pub set_cookies: Vec<HeaderValue>,
}

type ReadSession = dyn Fn(&Parts) -> Option<Session> + Send + Sync;
type SignOut = dyn Fn(Parts) -> Pin<Box<dyn Future<Output = Result<SignedOut, String>> + Send>> + Send + Sync;

/// Provided as context to every render and server function call: the host's view of
/// the request's session, and its way of ending it.
#[derive(Clone)]
pub struct Host {
    session: Arc<ReadSession>,
    sign_out: Arc<SignOut>,
}

impl Host {
    pub fn new<F, Fut>(
        session: impl Fn(&Parts) -> Option<Session> + Send + Sync + 'static,
        sign_out: F,
    ) -> Host
    where
        F: Fn(Parts) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<SignedOut, String>> + Send + 'static,
    {
        Host { session: Arc::new(session), sign_out: Arc::new(move |headers| Box::pin(sign_out(headers))) }
    }

    /// The impersonation behind the request (its cookie, as the host's middleware
    /// read it); `None` when there is none.
    pub fn session(&self, request: &Parts) -> Option<Session> {
        (self.session)(request)
    }

    pub async fn sign_out(&self, request: Parts) -> Result<SignedOut, String> {
        (self.sign_out)(request).await
    }
}
