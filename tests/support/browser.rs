// Helpers for the wasm-bindgen-test files: mounting, waiting, reading the DOM, and
// asking the test site server what it received.

#![allow(dead_code)]

use std::any::Any;

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

use leptos::prelude::{document, window};

/// A bar mounted into its own container; dropping it unmounts and removes both.
pub struct Fixture {
    pub container: HtmlElement,
    handle: Option<Box<dyn Any>>,
}

impl Fixture {
    pub fn mount<F, N>(view: F) -> Fixture
    where
        F: FnOnce() -> N + 'static,
        N: leptos::IntoView + 'static,
    {
        // Each test starts with nothing remembered (a minimized bar, say).
        window().local_storage().unwrap().unwrap().clear().unwrap();
        let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&container).unwrap();
        let handle = leptos::mount::mount_to(container.clone(), view);
        Fixture { container, handle: Some(Box::new(handle)) }
    }

    pub fn find(&self, selector: &str) -> Option<Element> {
        self.container.query_selector(selector).unwrap()
    }

    pub fn part(&self, name: &str) -> Element {
        self.find(&format!("[part={name}]"))
            .unwrap_or_else(|| panic!("no part {name} in {}", self.container.inner_html()))
    }

    pub fn root(&self) -> HtmlElement {
        self.find(".staff-bar").expect("the bar's root").unchecked_into()
    }

    pub fn click(&self, part: &str) {
        self.part(part).unchecked_into::<HtmlElement>().click();
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        drop(self.handle.take());
        self.container.remove();
    }
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets effects, microtasks and a frame run.
pub async fn settle() {
    sleep(30).await;
}

/// Polls `condition` every 20 ms for up to 10 s; fails the test with `what` otherwise.
pub async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default().trim().to_owned()
}

/// The name a screen reader announces for a button: its `aria-label`, else its text.
pub fn accessible_name(element: &Element) -> String {
    element.get_attribute("aria-label").unwrap_or_else(|| text(element))
}

pub fn computed(element: &Element, property: &str) -> String {
    window().get_computed_style(element).unwrap().unwrap().get_property_value(property).unwrap()
}

/// A property of `element`'s `::before` box (the frame's band is drawn there).
pub fn computed_before(element: &Element, property: &str) -> String {
    window()
        .get_computed_style_with_pseudo_elt(element, "::before")
        .unwrap()
        .unwrap()
        .get_property_value(property)
        .unwrap()
}

pub fn html_flag() -> bool {
    document().document_element().unwrap().has_attribute("data-impersonating")
}

pub fn active_element() -> Option<Element> {
    document().active_element()
}

pub fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

pub fn reset_hash() {
    window().location().set_hash("").unwrap();
}

/// Whether the page has received the whole response to a request for `url` (its
/// resource timing entry is written once the body is in), so a test can wait for an
/// answer to arrive instead of sleeping and hoping it did.
pub fn response_arrived(url: &str) -> bool {
    let get = |target: &JsValue, name: &str| js_sys::Reflect::get(target, &name.into()).ok();
    let Some(performance) = get(&window().into(), "performance") else { return false };
    let Some(by_name) =
        get(&performance, "getEntriesByName").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(entries) = by_name.call1(&performance, &url.into()) else { return false };
    js_sys::Array::from(&entries)
        .iter()
        .any(|entry| get(&entry, "responseEnd").and_then(|end| end.as_f64()).is_some_and(|end| end > 0.0))
}

/// A URL on the test site server started by `make test`.
pub fn server(path: &str) -> String {
    let port = option_env!("STAFF_BAR_TEST_PORT").unwrap_or("4917");
    format!("http://127.0.0.1:{port}{path}")
}

/// A key no other test uses, so request counts do not mix.
pub fn unique_key(label: &str) -> String {
    format!("{label}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// What the test site's sign-out endpoint received for one key.
pub struct Received {
    pub count: u32,
    pub method: String,
    pub body: String,
    headers: JsValue,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        js_sys::Reflect::get(&self.headers, &name.into()).ok()?.as_string()
    }
}

pub async fn received(key: &str) -> Received {
    let response =
        gloo_net::http::Request::get(&server(&format!("/received?key={key}"))).send().await.unwrap();
    let value = js_sys::JSON::parse(&response.text().await.unwrap()).unwrap();
    let field = |name: &str| js_sys::Reflect::get(&value, &name.into()).unwrap();
    Received {
        count: field("count").as_f64().unwrap_or(0.0) as u32,
        method: field("method").as_string().unwrap_or_default(),
        body: field("body").as_string().unwrap_or_default(),
        headers: field("headers"),
    }
}
