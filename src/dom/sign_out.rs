//! Carrying out a Stop's sign-out: a form POST or a JSON POST. What to send and what
//! the answer means are decided in `staff_bar_core` (the machine's `SignOut`, the
//! `sign_out` contract); this only resolves URLs against the page and moves bytes.

use wasm_bindgen::JsCast;

use super::fetch::{exchange, Done};
use super::{csrf_from_meta, document, error, is_page_origin, web_url};
use crate::sign_out::SignOutError;
use staff_bar_core::machine::SignOut;

/// What Stop sends, worked out from the machine's request at the moment of the click.
#[derive(Debug)]
pub(crate) struct SignOutPlan {
    /// The sign-out endpoint, absolute; why there is none to send to otherwise.
    endpoint: Result<String, SignOutError>,
    /// The validated `return-to`; a refused value was reported on the console.
    return_to: Option<String>,
    /// The CSRF token: the one given, else the page's `<meta name="csrf-token">`.
    token: Option<String>,
    csrf_field: Option<String>,
    csrf_header: Option<String>,
}

impl SignOutPlan {
    /// The endpoint is resolved once, against the page's own location (a `<base
    /// href>` does not move it), and that one absolute http(s) URL is checked, fetched
    /// and posted to.
    pub(crate) fn new(request: &SignOut) -> SignOutPlan {
        let endpoint = match &request.url {
            Some(url) => web_url(url).ok_or(SignOutError::UnsafeEndpoint),
            None => Err(SignOutError::NoEndpoint),
        };
        let (return_to, refusal) = request.checked_return_to();
        if let Some(refusal) = refusal {
            error(refusal);
        }
        let on_page_origin = endpoint.as_deref().is_ok_and(is_page_origin);
        let token = request.token(on_page_origin, csrf_from_meta);
        SignOutPlan {
            endpoint,
            return_to,
            token,
            csrf_field: request.csrf_field.clone(),
            csrf_header: request.csrf_header.clone(),
        }
    }

    /// `form` mode: submits a real form POST (`return_to` and the CSRF field) and lets
    /// the server's redirect move the page; an error when nothing could be submitted.
    pub(crate) fn submit_form(self) -> Result<(), SignOutError> {
        let url = self.endpoint?;
        let mut fields = Vec::new();
        if let Some(path) = self.return_to {
            fields.push(("return_to".to_owned(), path));
        }
        if let Some(token) = self.token {
            fields.push((self.csrf_field.unwrap_or_else(|| "csrf_token".into()), token));
        }
        submit_form(&url, &fields)
    }

    /// `fetch` mode: POSTs `{"returnTo": …}` as JSON; `done` gets where the browser
    /// goes next, or why not. A request that hangs counts as failed after
    /// [`TIMEOUT_MS`](crate::sign_out::TIMEOUT_MS), so Stop never stays "Stopping…".
    pub(crate) fn send(self, done: Done<Result<String, SignOutError>>) {
        let endpoint = match self.endpoint {
            Ok(endpoint) => endpoint,
            Err(error) => return done(Err(error)),
        };
        let token =
            self.token.map(|token| (self.csrf_header.unwrap_or_else(|| "X-CSRF-Token".into()), token));
        let mut headers = vec![("Content-Type", "application/json"), ("Accept", "application/json")];
        if let Some((header, token)) = &token {
            headers.push((header.as_str(), token.as_str()));
        }
        let body = crate::sign_out::request_body(self.return_to.as_deref());
        let return_to = self.return_to;
        exchange(
            "POST",
            &endpoint,
            &headers,
            Some(body),
            Some(crate::sign_out::TIMEOUT_MS),
            Box::new(move |reply| {
                done(match reply {
                    Some(reply) => {
                        crate::sign_out::destination(reply.status, &reply.text, return_to.as_deref())
                    }
                    None => Err(SignOutError::Network),
                })
            }),
        );
    }
}

/// Submits a real `<form method="post">` to `action` with hidden `fields`, for
/// servers that answer sign-out with a redirect; an error when nothing was submitted.
fn submit_form(action: &str, fields: &[(String, String)]) -> Result<(), SignOutError> {
    let document = document().ok_or(SignOutError::FormNotSent)?;
    let body = document.body().ok_or(SignOutError::FormNotSent)?;
    let form = document.create_element("form").map_err(|_| SignOutError::FormNotSent)?;
    let _ = form.set_attribute("method", "post");
    let _ = form.set_attribute("action", action);
    let _ = form.set_attribute("hidden", "");
    for (name, value) in fields {
        let input = document.create_element("input").map_err(|_| SignOutError::FormNotSent)?;
        let _ = input.set_attribute("type", "hidden");
        let _ = input.set_attribute("name", name);
        let _ = input.set_attribute("value", value);
        let _ = form.append_child(&input);
    }
    body.append_child(&form).map_err(|_| SignOutError::FormNotSent)?;
    let form = form.dyn_into::<web_sys::HtmlFormElement>().map_err(|_| SignOutError::FormNotSent)?;
    form.submit().map_err(|_| SignOutError::FormNotSent)
}
