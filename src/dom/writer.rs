//! Where the `<staff-bar>` element's markup is written: [`view`](crate::view)
//! describes it against [`Writer`], and [`DomWriter`] writes it into the live DOM.
//! (The Leptos component renders its own view through Leptos, on the server and in
//! the browser alike, so it needs neither an HTML writer nor a hydration claimer.)

/// A place to write elements, text and attributes.
pub trait Writer {
    type Node: Clone;

    /// A new `<tag class=…>` with `attributes`, appended to `parent` (or standing alone
    /// when `parent` is `None`).
    fn element(
        &mut self,
        parent: Option<&Self::Node>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> Self::Node;
    /// A new `<tag class=…>` in `parent` just before `before` (appended without it).
    fn element_before(
        &mut self,
        parent: &Self::Node,
        before: Option<&Self::Node>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> Self::Node;
    /// Appends text, always as text: nothing written here is parsed as markup.
    fn text(&mut self, parent: &Self::Node, text: &str);
    /// Sets (`Some`) or removes (`None`) an attribute.
    fn attribute(&mut self, node: &Self::Node, name: &str, value: Option<&str>);
    /// Replaces the text inside `node`.
    fn set_text(&mut self, node: &Self::Node, text: &str);
    /// Removes everything inside `node`.
    fn clear(&mut self, node: &Self::Node);
    /// Takes `node` out of its parent.
    fn remove(&mut self, node: &Self::Node);
}

/// The live DOM. Every change compares first, so an unchanged value causes no
/// mutation (the countdown's one-text-change-per-tick promise depends on it) and a
/// screen reader hears nothing twice.
pub struct DomWriter {
    document: Maker,
}

impl DomWriter {
    /// `None` when the document cannot create elements at all.
    pub fn new(document: web_sys::Document) -> Option<DomWriter> {
        Some(DomWriter { document: Maker::new(document)? })
    }
}

/// Creates the bar's elements. Creating an element with a fixed, valid name cannot
/// fail once one was created; if a browser ever refused, the spare element made up
/// front stands in, so the bar draws wrong instead of panicking or throwing an
/// exception through a held borrow (which would leave the bar busy for good).
struct Maker {
    document: web_sys::Document,
    spare: web_sys::Element,
}

impl Maker {
    fn new(document: web_sys::Document) -> Option<Maker> {
        let spare = document.create_element("span").ok()?;
        Some(Maker { document, spare })
    }
}

/// A new `<tag class=…>` with `attributes`.
fn create(maker: &Maker, tag: &str, class: &str, attributes: &[(&str, &str)]) -> web_sys::Element {
    let element = maker.document.create_element(tag).unwrap_or_else(|_| maker.spare.clone());
    if !class.is_empty() {
        let _ = element.set_attribute("class", class);
    }
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    element
}

impl Writer for DomWriter {
    type Node = web_sys::Element;

    fn element(
        &mut self,
        parent: Option<&web_sys::Element>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> web_sys::Element {
        let element = create(&self.document, tag, class, attributes);
        if let Some(parent) = parent {
            let _ = parent.append_child(&element);
        }
        element
    }

    fn element_before(
        &mut self,
        parent: &web_sys::Element,
        before: Option<&web_sys::Element>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> web_sys::Element {
        let element = create(&self.document, tag, class, attributes);
        let _ = parent.insert_before(&element, before.map(|before| before.as_ref()));
        element
    }

    fn text(&mut self, parent: &web_sys::Element, text: &str) {
        let _ = parent.append_with_str_1(text);
    }

    fn attribute(&mut self, node: &web_sys::Element, name: &str, value: Option<&str>) {
        if node.get_attribute(name).as_deref() == value {
            return;
        }
        let _ = match value {
            Some(value) => node.set_attribute(name, value),
            None => node.remove_attribute(name),
        };
    }

    /// Changes the data of the node's one text node when it has one (a single
    /// `characterData` change), else puts a new text node in.
    fn set_text(&mut self, node: &web_sys::Element, text: &str) {
        if node.text_content().as_deref().unwrap_or("") == text {
            return;
        }
        let only_text = node
            .first_child()
            .filter(|child| child.node_type() == web_sys::Node::TEXT_NODE && child.next_sibling().is_none());
        match only_text {
            Some(child) if !text.is_empty() => child.set_node_value(Some(text)),
            _ => node.set_text_content((!text.is_empty()).then_some(text)),
        }
    }

    fn clear(&mut self, node: &web_sys::Element) {
        node.set_text_content(None);
    }

    fn remove(&mut self, node: &web_sys::Element) {
        node.remove();
    }
}
