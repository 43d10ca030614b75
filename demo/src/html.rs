//! The server-rendered pages: askama templates (demo/templates/), compiled with the
//! server and HTML-escaped by default. No template marks a value `safe`, so whatever
//! a page shows (names from WorkOS, a reason typed in a form, a query parameter) is
//! text, never markup.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// `page` rendered as an HTML answer with `status`, never cached (the pages show
/// who is signed in and carry the session's CSRF token).
pub(crate) fn html_page(status: StatusCode, page: &impl Template) -> Response {
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    match page.render() {
        Ok(html) => (status, no_store, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, no_store, "The page could not be rendered.").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use askama::Template;

    #[derive(Template)]
    #[template(source = "<p title=\"{{ text }}\">{{ text }}</p>", ext = "html")]
    struct Probe<'a> {
        text: &'a str,
    }

    #[test]
    fn templates_escape_markup_and_quotes_in_text_and_attributes() {
        let html = Probe { text: r#"<a href="x">Tom & 'Jerry'</a>"# }.render().unwrap_or_default();
        // askama writes numeric character references.
        let escaped = "&#60;a href=&#34;x&#34;&#62;Tom &#38; &#39;Jerry&#39;&#60;/a&#62;";
        assert_eq!(html, format!(r#"<p title="{escaped}">{escaped}</p>"#));
    }
}
