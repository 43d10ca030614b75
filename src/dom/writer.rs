//! The three places the bar's markup is written: the live DOM in the browser
//! ([`DomWriter`]), the nodes a server already wrote, taken over in place when a page
//! hydrates ([`ClaimWriter`]), and HTML text on the server ([`HtmlWriter`]).
//! [`view`](crate::view) describes the markup once against [`Writer`], so the server's
//! HTML and the browser's nodes cannot drift apart.

use wasm_bindgen::JsCast;

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

/// Takes over markup the server rendered instead of building it, so hydration keeps
/// the very nodes the page already shows. Building through a `ClaimWriter` walks the
/// server's nodes in the order the markup is described; [`ClaimWriter::finish`] says whether
/// they were exactly what would have been built. Only `Bar::hydrate` uses it, so
/// builds that never hydrate carry none of this.
pub struct ClaimWriter {
    document: Maker,
    host: web_sys::Element,
    /// For each parent that had a child taken, how many of its child nodes were.
    taken: Vec<(web_sys::Element, u32)>,
    failed: bool,
}

impl ClaimWriter {
    /// Claims the children of `host`; `None` when the document cannot create elements.
    pub fn new(document: web_sys::Document, host: &web_sys::Element) -> Option<ClaimWriter> {
        Some(ClaimWriter {
            document: Maker::new(document)?,
            host: host.clone(),
            taken: Vec::new(),
            failed: false,
        })
    }

    /// False when the markup found was not exactly the markup expected (an element,
    /// attribute or text differed, or something was left over): the caller then
    /// builds afresh.
    pub fn finish(self) -> bool {
        !self.failed && self.taken.iter().all(|(parent, count)| next_node(parent, *count).is_none())
    }

    /// The next child node of `parent` that was not taken yet.
    fn take(&mut self, parent: &web_sys::Element) -> Option<web_sys::Node> {
        let index = match self.taken.iter().position(|(seen, _)| seen == parent) {
            Some(index) => index,
            None => {
                self.taken.push((parent.clone(), 0));
                self.taken.len() - 1
            }
        };
        let (_, count) = self.taken.get_mut(index)?;
        let (node, at) = next_node(parent, *count)?;
        *count = at + 1;
        Some(node)
    }

    /// Takes the next child of `parent` when it is `<tag>` with `class` and exactly
    /// `attributes`. Its own children are checked once one of them is taken; text
    /// that `paint` sets (Stop's label, the countdown) is not built, so not checked.
    fn take_element(
        &mut self,
        parent: &web_sys::Element,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> Option<web_sys::Element> {
        let element = self.take(parent)?.dyn_into::<web_sys::Element>().ok()?;
        // The app's own classes may follow ours on the root.
        let found_class = element.get_attribute("class").unwrap_or_default();
        let class_matches =
            found_class == class || found_class.strip_prefix(class).is_some_and(|rest| rest.starts_with(' '));
        let attributes_match =
            attributes.iter().all(|(name, value)| element.get_attribute(name).as_deref() == Some(*value));
        (element.local_name() == tag && class_matches && attributes_match).then_some(element)
    }
}

/// The child node of `parent` at or after `index` that claiming compares, with its
/// index: the server's inline `<style>` is skipped.
fn next_node(parent: &web_sys::Element, mut index: u32) -> Option<(web_sys::Node, u32)> {
    let nodes = parent.child_nodes();
    loop {
        let node = nodes.item(index)?;
        let is_style =
            node.dyn_ref::<web_sys::Element>().is_some_and(|element| element.local_name() == "style");
        if !is_style {
            return Some((node, index));
        }
        index += 1;
    }
}

/// Text as the HTML parser hands it over: line breaks normalized to `\n`.
fn parsed_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

impl Writer for ClaimWriter {
    type Node = web_sys::Element;

    fn element(
        &mut self,
        parent: Option<&web_sys::Element>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> web_sys::Element {
        if !self.failed {
            let from = parent.cloned().unwrap_or_else(|| self.host.clone());
            if let Some(found) = self.take_element(&from, tag, class, attributes) {
                return found;
            }
            self.failed = true;
        }
        // Whatever is built after a mismatch is thrown away.
        create(&self.document, tag, class, attributes)
    }

    fn element_before(
        &mut self,
        parent: &web_sys::Element,
        _before: Option<&web_sys::Element>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> web_sys::Element {
        self.element(Some(parent), tag, class, attributes)
    }

    /// The server wrote the text (empty text writes no node); other words (another
    /// language, another user) mean building afresh.
    fn text(&mut self, parent: &web_sys::Element, text: &str) {
        if self.failed || text.is_empty() {
            return;
        }
        let found = self.take(parent).filter(|node| node.node_type() == web_sys::Node::TEXT_NODE);
        if found.and_then(|node| node.node_value()) != Some(parsed_text(text)) {
            self.failed = true;
        }
    }

    // Building sets no attribute or text after the fact, and clears nothing: `paint`
    // does that afterwards, through `DomWriter`.
    fn attribute(&mut self, _node: &web_sys::Element, _name: &str, _value: Option<&str>) {}

    fn set_text(&mut self, _node: &web_sys::Element, _text: &str) {}

    fn clear(&mut self, _node: &web_sys::Element) {}

    fn remove(&mut self, _node: &web_sys::Element) {}
}

/// HTML text for server rendering: a small tree written out by [`HtmlWriter::render`].
#[derive(Default)]
pub struct HtmlWriter {
    nodes: Vec<HtmlNode>,
}

enum HtmlNode {
    Element { tag: String, attributes: Vec<(String, String)>, children: Vec<usize> },
    Text(String),
    Removed,
}

impl HtmlWriter {
    /// The HTML of `node` and everything inside it.
    pub fn render(&self, node: usize) -> String {
        let mut out = String::new();
        self.write(node, false, &mut out);
        out
    }

    fn write(&self, node: usize, raw_text: bool, out: &mut String) {
        match self.nodes.get(node) {
            Some(HtmlNode::Element { tag, attributes, children }) => {
                out.push('<');
                out.push_str(tag);
                for (name, value) in attributes {
                    out.push(' ');
                    out.push_str(name);
                    if !value.is_empty() {
                        out.push_str("=\"");
                        escape(value, true, out);
                        out.push('"');
                    }
                }
                out.push('>');
                for child in children {
                    self.write(*child, tag == "style", out);
                }
                out.push_str("</");
                out.push_str(tag);
                out.push('>');
            }
            // The only raw text is our own stylesheet inside `<style>`.
            Some(HtmlNode::Text(text)) if raw_text => out.push_str(text),
            Some(HtmlNode::Text(text)) => escape(text, false, out),
            Some(HtmlNode::Removed) | None => {}
        }
    }

    fn children(&mut self, node: usize) -> Option<&mut Vec<usize>> {
        match self.nodes.get_mut(node) {
            Some(HtmlNode::Element { children, .. }) => Some(children),
            _ => None,
        }
    }
}

fn escape(text: &str, in_attribute: bool, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

impl Writer for HtmlWriter {
    type Node = usize;

    fn element(
        &mut self,
        parent: Option<&usize>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> usize {
        let mut list = Vec::new();
        if !class.is_empty() {
            list.push(("class".to_owned(), class.to_owned()));
        }
        list.extend(attributes.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())));
        let id = self.nodes.len();
        self.nodes.push(HtmlNode::Element { tag: tag.to_owned(), attributes: list, children: Vec::new() });
        if let Some(children) = parent.and_then(|parent| self.children(*parent)) {
            children.push(id);
        }
        id
    }

    fn element_before(
        &mut self,
        parent: &usize,
        before: Option<&usize>,
        tag: &str,
        class: &str,
        attributes: &[(&str, &str)],
    ) -> usize {
        let id = self.element(None, tag, class, attributes);
        if let Some(children) = self.children(*parent) {
            let at = before.and_then(|before| children.iter().position(|child| child == before));
            children.insert(at.unwrap_or(children.len()), id);
        }
        id
    }

    fn text(&mut self, parent: &usize, text: &str) {
        let id = self.nodes.len();
        self.nodes.push(HtmlNode::Text(text.to_owned()));
        if let Some(children) = self.children(*parent) {
            children.push(id);
        }
    }

    fn attribute(&mut self, node: &usize, name: &str, value: Option<&str>) {
        if let Some(HtmlNode::Element { attributes, .. }) = self.nodes.get_mut(*node) {
            attributes.retain(|(existing, _)| existing != name);
            if let Some(value) = value {
                attributes.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    fn set_text(&mut self, node: &usize, text: &str) {
        self.clear(node);
        if !text.is_empty() {
            self.text(node, text);
        }
    }

    fn clear(&mut self, node: &usize) {
        if let Some(children) = self.children(*node) {
            children.clear();
        }
    }

    fn remove(&mut self, node: &usize) {
        if let Some(slot) = self.nodes.get_mut(*node) {
            *slot = HtmlNode::Removed;
        }
    }
}
