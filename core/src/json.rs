//! A small JSON reader for the two documents staff-bar reads: the session JSON and a
//! token's claims.
//!
//! It exists instead of `serde_json` for two reasons: the WebAssembly build stays small
//! (no `core::fmt`, no float parsing), and every path is written to return an error
//! rather than panic, because a panic in WebAssembly removes the whole bar. What is
//! nested deeper than [`MAX_DEPTH`] is checked and skipped without recursion, so hostile
//! input can neither exhaust the stack nor hide a session beside it.

/// Values nested deeper are checked but left out of the tree: the session JSON needs
/// three levels, so nothing it is read for is ever that deep, and one unknown member
/// nested 70 levels down must not hide the bar beside it.
pub const MAX_DEPTH: usize = 64;

/// A parsed JSON value. Numbers keep their source text: staff-bar never does
/// arithmetic on JSON numbers, so it never pays for float parsing.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object; `None` for other kinds or a missing key.
    /// With duplicate keys the last one wins, as in browsers' `JSON.parse`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The first of several spellings of a member that is present (camelCase, then
    /// snake_case), so both casings of the session JSON read the same.
    pub fn get_any(&self, keys: &[&str]) -> Option<&Json> {
        keys.iter().find_map(|key| self.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

/// Why a document is not JSON. `offset` is the byte where reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonError {
    /// What is wrong.
    pub kind: JsonErrorKind,
    /// The byte of the text where reading stopped.
    pub offset: usize,
}

/// What is wrong with a text that is not JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// The text ends inside a value.
    UnexpectedEnd,
    /// A character that cannot start or continue a value there.
    UnexpectedCharacter,
    /// Text after the document's end.
    TrailingCharacters,
    /// A number JSON does not allow (`01`, `1.`, `-`).
    InvalidNumber,
    /// An escape JSON does not allow, or a `\u` without four hex digits.
    InvalidEscape,
    /// A raw control character inside a string, which JSON forbids.
    ControlCharacter,
}

impl JsonErrorKind {
    /// The sentence for the console.
    pub fn message(self) -> &'static str {
        match self {
            JsonErrorKind::UnexpectedEnd => "the JSON ends too early",
            JsonErrorKind::UnexpectedCharacter => "the JSON has an unexpected character",
            JsonErrorKind::TrailingCharacters => "the JSON has text after its end",
            JsonErrorKind::InvalidNumber => "the JSON has an invalid number",
            JsonErrorKind::InvalidEscape => "the JSON has an invalid escape in a string",
            JsonErrorKind::ControlCharacter => "the JSON has a control character in a string",
        }
    }
}

/// Reads one JSON document, with optional whitespace around it.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0 };
    reader.skip_whitespace();
    // The top level is never skipped: only what is nested under it can be too deep.
    let value = reader.value(0)?.unwrap_or(Json::Null);
    reader.skip_whitespace();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error(JsonErrorKind::TrailingCharacters));
    }
    Ok(value)
}

/// Writes `value` as a JSON string literal, quotes included.
pub fn write_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let n = c as u32;
                out.push(hex_digit(n >> 4));
                out.push(hex_digit(n & 0xf));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn hex_digit(n: u32) -> char {
    char::from_digit(n, 16).unwrap_or('0')
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn error(&self, kind: JsonErrorKind) -> JsonError {
        JsonError { kind, offset: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Result<u8, JsonError> {
        let byte = self.peek().ok_or_else(|| self.error(JsonErrorKind::UnexpectedEnd))?;
        self.pos += 1;
        Ok(byte)
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, word: &[u8], value: Json) -> Result<Json, JsonError> {
        let end = self.pos + word.len();
        match self.bytes.get(self.pos..end) {
            Some(found) if found == word => {
                self.pos = end;
                Ok(value)
            }
            Some(_) => Err(self.error(JsonErrorKind::UnexpectedCharacter)),
            None => Err(self.error(JsonErrorKind::UnexpectedEnd)),
        }
    }

    /// The value here, or `None` for a container nested deeper than [`MAX_DEPTH`]:
    /// checked, skipped, and left out of the tree by its array or object.
    fn value(&mut self, depth: usize) -> Result<Option<Json>, JsonError> {
        let value = match self.peek() {
            None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
            Some(b'n') => self.expect_word(b"null", Json::Null),
            Some(b't') => self.expect_word(b"true", Json::Bool(true)),
            Some(b'f') => self.expect_word(b"false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[' | b'{') if depth >= MAX_DEPTH => return self.skip_nested().map(|()| None),
            Some(b'[') => self.array(depth + 1),
            Some(b'{') => self.object(depth + 1),
            Some(_) => Err(self.error(JsonErrorKind::UnexpectedCharacter)),
        };
        value.map(Some)
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.extend(self.value(depth)?);
            self.skip_whitespace();
            match self.next_byte()? {
                b',' => continue,
                b']' => return Ok(Json::Array(items)),
                _ => {
                    self.pos -= 1;
                    return Err(self.error(JsonErrorKind::UnexpectedCharacter));
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.pos += 1; // '{'
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            let key = self.member_key()?;
            self.skip_whitespace();
            if let Some(value) = self.value(depth)? {
                members.push((key, value));
            }
            self.skip_whitespace();
            match self.next_byte()? {
                b',' => continue,
                b'}' => return Ok(Json::Object(members)),
                _ => {
                    self.pos -= 1;
                    return Err(self.error(JsonErrorKind::UnexpectedCharacter));
                }
            }
        }
    }

    /// A member's key and its `:`, from before the key's opening quote.
    fn member_key(&mut self) -> Result<String, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => {}
            Some(_) => return Err(self.error(JsonErrorKind::UnexpectedCharacter)),
            None => return Err(self.error(JsonErrorKind::UnexpectedEnd)),
        }
        let key = self.string()?;
        self.skip_whitespace();
        if self.next_byte()? != b':' {
            self.pos -= 1;
            return Err(self.error(JsonErrorKind::UnexpectedCharacter));
        }
        Ok(key)
    }

    /// Checks the array or object here as JSON without keeping it. Its open brackets
    /// are counted on the heap, not the call stack, so any depth is safe.
    fn skip_nested(&mut self) -> Result<(), JsonError> {
        let mut closers = Vec::new();
        loop {
            // At the start of a value.
            self.skip_whitespace();
            match self.peek() {
                Some(open @ (b'[' | b'{')) => {
                    self.pos += 1;
                    let closer = if open == b'[' { b']' } else { b'}' };
                    self.skip_whitespace();
                    if self.peek() != Some(closer) {
                        closers.push(closer);
                        if open == b'{' {
                            self.member_key()?;
                        }
                        continue;
                    }
                    self.pos += 1;
                }
                // A scalar: `value` does not descend for these.
                _ => {
                    self.value(MAX_DEPTH)?;
                }
            }
            // After a value: closers, then a comma and the next value (or key).
            loop {
                let Some(&closer) = closers.last() else { return Ok(()) };
                self.skip_whitespace();
                match self.next_byte()? {
                    b',' => {
                        if closer == b'}' {
                            self.member_key()?;
                        }
                        break;
                    }
                    byte if byte == closer => {
                        closers.pop();
                    }
                    _ => {
                        self.pos -= 1;
                        return Err(self.error(JsonErrorKind::UnexpectedCharacter));
                    }
                }
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Checks the number grammar of RFC 8259 and keeps the text.
    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error(JsonErrorKind::InvalidNumber)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error(JsonErrorKind::InvalidNumber));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(JsonErrorKind::InvalidNumber));
            }
        }
        let text = self.text.get(start..self.pos).ok_or_else(|| self.error(JsonErrorKind::InvalidNumber))?;
        Ok(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let byte = self.next_byte()?;
            let digit =
                (byte as char).to_digit(16).ok_or_else(|| self.error(JsonErrorKind::InvalidEscape))?;
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// The `\uDC00`–`\uDFFF` escape that completes a pair, consumed only when it is one.
    fn low_surrogate(&mut self) -> Option<u32> {
        if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
            return None;
        }
        let start = self.pos;
        self.pos += 2;
        match self.hex4() {
            Ok(second @ 0xdc00..=0xdfff) => Some(second),
            _ => {
                self.pos = start;
                None
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the plain run up to the next quote, backslash or control byte in
            // one go. Those stop bytes are ASCII, so the run ends on a char boundary.
            let run_start = self.pos;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.pos += 1;
            }
            if let Some(run) = self.text.get(run_start..self.pos) {
                out.push_str(run);
            }
            match self.next_byte()? {
                b'"' => return Ok(out),
                b'\\' => self.escape(&mut out)?,
                _ => {
                    self.pos -= 1;
                    return Err(self.error(JsonErrorKind::ControlCharacter));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let unescaped = match self.next_byte()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xd800..=0xdbff => match self.low_surrogate() {
                        Some(second) => 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00),
                        None => 0xfffd,
                    },
                    // Half a pair is valid JSON that `JSON.parse` accepts; the browser
                    // shows it as U+FFFD, and so does the bar, instead of refusing it.
                    0xdc00..=0xdfff => 0xfffd,
                    other => other,
                };
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
            }
            _ => {
                self.pos -= 1;
                return Err(self.error(JsonErrorKind::InvalidEscape));
            }
        };
        out.push(unescaped);
        Ok(())
    }
}
