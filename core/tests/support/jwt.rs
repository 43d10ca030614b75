// Shared by the native test files through `#[path]`: builds unsigned JWTs for tests.

/// Base64url without padding, written out by hand so the tests do not trust the
/// decoder they check.
pub fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

pub fn jwt(payload: &str) -> String {
    let header = base64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    let body = base64url(payload.as_bytes());
    header + "." + &body + ".c2lnbmF0dXJl"
}
