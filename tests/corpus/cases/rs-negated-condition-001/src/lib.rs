//! Minimal HTTP/1.x request-head parser used by the edge proxy.

pub const MAX_HEADERS: usize = 32;
pub const MAX_BODY: usize = 1 << 20;

#[derive(Debug, PartialEq, Eq)]
pub enum ParseError {
    Incomplete,
    BadRequestLine,
    BadHeader(usize),
    BadContentLength,
    TooManyHeaders,
    UnsupportedVersion,
    BodyTooLarge,
}

#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub version: (u8, u8),
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// Case-insensitive header lookup (first occurrence wins).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn content_length(&self) -> Result<usize, ParseError> {
        match self.header("content-length") {
            None => Ok(0),
            Some(v) => v.trim().parse::<usize>().map_err(|_| ParseError::BadContentLength),
        }
    }

    pub fn keep_alive(&self) -> bool {
        match self.header("connection") {
            Some(v) if v.eq_ignore_ascii_case("close") => false,
            Some(v) if v.eq_ignore_ascii_case("keep-alive") => true,
            _ => self.version < (1, 1),
        }
    }
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

fn parse_version(v: &str) -> Result<(u8, u8), ParseError> {
    let rest = v.strip_prefix("HTTP/").ok_or(ParseError::BadRequestLine)?;
    let (major, minor) = rest.split_once('.').ok_or(ParseError::BadRequestLine)?;
    let major: u8 = major.parse().map_err(|_| ParseError::BadRequestLine)?;
    let minor: u8 = minor.parse().map_err(|_| ParseError::BadRequestLine)?;
    match major {
        1 => Ok((major, minor)),
        _ => Err(ParseError::UnsupportedVersion),
    }
}

fn parse_request_line(line: &str) -> Result<(&str, &str, (u8, u8)), ParseError> {
    let mut parts = line.split(' ');
    let method = parts.next().filter(|m| !m.is_empty()).ok_or(ParseError::BadRequestLine)?;
    let target = parts.next().filter(|t| t.starts_with('/')).ok_or(ParseError::BadRequestLine)?;
    let version = parts.next().ok_or(ParseError::BadRequestLine)?;
    if parts.next().is_some() {
        return Err(ParseError::BadRequestLine);
    }
    Ok((method, target, parse_version(version)?))
}

/// Parse a request head. Returns the request and the number of bytes consumed
/// (including the terminating blank line).
pub fn parse_request(buf: &[u8]) -> Result<(Request, usize), ParseError> {
    let end = find_head_end(buf).ok_or(ParseError::Incomplete)?;
    let head = std::str::from_utf8(&buf[..end]).map_err(|_| ParseError::BadRequestLine)?;
    let mut lines = head.split("\r\n");
    let request_line = lines.next().ok_or(ParseError::BadRequestLine)?;
    let (method, target, version) = parse_request_line(request_line)?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.to_string(), None),
    };

    let mut headers = Vec::new();
    for (i, line) in lines.enumerate() {
        if headers.len() == MAX_HEADERS {
            return Err(ParseError::TooManyHeaders);
        }
        let (name, value) = line.split_once(':').ok_or(ParseError::BadHeader(i + 1))?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ParseError::BadHeader(i + 1));
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let req = Request { method: method.to_string(), path, query, version, headers };
    Ok((req, end + 4))
}

/// Returns the body once all of it is buffered, `Ok(None)` while more is needed.
pub fn body<'a>(buf: &'a [u8], head_len: usize, req: &Request) -> Result<Option<&'a [u8]>, ParseError> {
    let len = req.content_length()?;
    let available = buf.len() - head_len;
    if len > MAX_BODY {
        return Err(ParseError::BodyTooLarge);
    }
    if available < len {
        return Ok(None);
    }
    Ok(Some(&buf[head_len..head_len + len]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[u8] = b"GET /status?verbose=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n";

    #[test]
    fn parses_simple_get() {
        let (req, used) = parse_request(GET).unwrap();
        assert_eq!(req.method, "GET");
        assert_eq!(req.path, "/status");
        assert_eq!(req.query.as_deref(), Some("verbose=1"));
        assert_eq!(req.version, (1, 1));
        assert_eq!(used, GET.len());
        assert_eq!(req.header("host"), Some("example.com"));
        assert_eq!(req.header("HOST"), Some("example.com"));
    }

    #[test]
    fn incomplete_head() {
        assert_eq!(parse_request(b"GET / HTTP/1.1\r\nHost: a\r\n").unwrap_err(), ParseError::Incomplete);
    }

    #[test]
    fn rejects_bad_request_lines() {
        assert_eq!(parse_request(b"GET /\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
        assert_eq!(parse_request(b"GET / HTTP/2.0\r\n\r\n").unwrap_err(), ParseError::UnsupportedVersion);
    }

    #[test]
    fn rejects_malformed_headers() {
        let err = parse_request(b"GET / HTTP/1.1\r\nHost example.com\r\n\r\n").unwrap_err();
        assert_eq!(err, ParseError::BadHeader(1));
        let err = parse_request(b"GET / HTTP/1.1\r\nX-Ok: 1\r\nBad Name: 2\r\n\r\n").unwrap_err();
        assert_eq!(err, ParseError::BadHeader(2));
    }

    #[test]
    fn body_with_content_length() {
        let raw = b"POST /submit HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        let (req, used) = parse_request(raw).unwrap();
        assert_eq!(body(raw, used, &req).unwrap(), Some(&b"hello"[..]));
        assert_eq!(body(&raw[..raw.len() - 1], used, &req).unwrap(), None);
    }

    #[test]
    fn bad_content_length_is_an_error() {
        let raw = b"POST / HTTP/1.1\r\nContent-Length: lots\r\n\r\n";
        let (req, _) = parse_request(raw).unwrap();
        assert_eq!(req.content_length(), Err(ParseError::BadContentLength));
    }

    #[test]
    fn oversized_body_rejected() {
        let raw = b"POST / HTTP/1.1\r\nContent-Length: 50000000\r\n\r\npartial";
        let (req, used) = parse_request(raw).unwrap();
        assert_eq!(body(raw, used, &req), Err(ParseError::BodyTooLarge));
    }

    #[test]
    fn keep_alive_defaults() {
        let (req, _) = parse_request(GET).unwrap();
        assert!(req.keep_alive());
        let (req, _) = parse_request(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        assert!(!req.keep_alive());
        let (req, _) = parse_request(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        assert!(!req.keep_alive());
    }
}
