//! Logs: one line per request, and (in `acme`) one per impersonation started or ended.

use std::time::Duration;

use axum::extract::Request;
use axum::response::Response;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{DefaultOnFailure, TraceLayer};
use tracing::Span;
use tracing_subscriber::EnvFilter;

/// Log lines to stderr, level `info` unless `RUST_LOG` says otherwise.
pub fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second call (tests) keeps the first subscriber.
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .try_init();
}

type MakeSpan = fn(&Request) -> Span;
type OnResponse = fn(&Response, Duration, &Span);

/// The request log, by `tower_http`'s `TraceLayer`: every request runs in a span
/// `request{method=GET path=/auth/session}` (so what a handler logs says which request
/// it belongs to), and its answer is logged as `200 0.4ms` (target `http`) when the
/// response head is ready. Server errors are also logged by `DefaultOnFailure`.
///
/// Only the method and the path are recorded: not the query string (it carries
/// one-time codes and session ids), and no header (cookies, CSRF tokens).
pub(crate) fn trace_layer(
) -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, MakeSpan, (), OnResponse, (), (), DefaultOnFailure>
{
    TraceLayer::new_for_http()
        .make_span_with(request_span as MakeSpan)
        .on_request(())
        .on_response(log_response as OnResponse)
        .on_body_chunk(())
        .on_eos(())
}

fn request_span(request: &Request) -> Span {
    tracing::info_span!(target: "http", "request", method = %request.method(), path = %request.uri().path())
}

fn log_response(response: &Response, latency: Duration, _span: &Span) {
    let millis = latency.as_secs_f64() * 1000.0;
    tracing::info!(target: "http", "{} {millis:.1}ms", response.status().as_u16());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn a_request_is_logged_with_method_path_status_and_latency_but_no_secrets() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("info"))
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let app = Router::new().route("/auth/callback", get(|| async { "ok" })).layer(trace_layer());
        let request = Request::builder()
            .uri("/auth/callback?code=one-time-code&state=s3cret")
            .header("cookie", "acme_session=session-cookie-value")
            .header("x-csrf-token", "csrf-token-value")
            .body(Body::empty());
        let Ok(request) = request else { panic!("request") };
        let response = app.oneshot(request).await;
        assert!(response.is_ok_and(|r| r.status().is_success()));

        let text =
            String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|p| p.into_inner())).into_owned();
        assert!(text.contains("method=GET"), "{text}");
        assert!(text.contains("path=/auth/callback"), "{text}");
        assert!(text.contains(" 200 ") && text.contains("ms"), "{text}");
        for secret in ["one-time-code", "s3cret", "session-cookie-value", "csrf-token-value", "code="] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
