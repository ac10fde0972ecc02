use httphead::*;

fn req(raw: &[u8]) -> (Request, usize) {
    parse_request(raw).expect("request should parse")
}

#[test]
fn consumed_length_and_pipelining() {
    let raw = b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    let (r1, used) = req(raw);
    assert_eq!(r1.path, "/a");
    assert_eq!(used, 28);
    let (r2, used2) = req(&raw[used..]);
    assert_eq!(r2.path, "/b");
    assert_eq!(used2, raw.len() - used);
    let (r3, used3) = req(b"GET / HTTP/1.1\r\n\r\n");
    assert!(r3.headers.is_empty());
    assert_eq!(used3, 18);
}

#[test]
fn header_lookup_is_case_insensitive_and_first_wins() {
    let (r, _) = req(b"GET / HTTP/1.1\r\nX-Trace: one\r\nx-trace: two\r\nCONTENT-length:  3 \r\n\r\nabc");
    assert_eq!(r.header("x-trace"), Some("one"));
    assert_eq!(r.header("X-TRACE"), Some("one"));
    assert_eq!(r.header("Content-Length"), Some("3"));
    assert_eq!(r.content_length(), Ok(3));
    assert_eq!(r.header("missing"), None);
}

#[test]
fn header_errors() {
    let cases: &[(&[u8], ParseError)] = &[
        (b"GET / HTTP/1.1\r\nNoColon\r\n\r\n", ParseError::BadHeader(1)),
        (b"GET / HTTP/1.1\r\nA: 1\r\n: empty\r\n\r\n", ParseError::BadHeader(2)),
        (b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nTab\tName: 3\r\n\r\n", ParseError::BadHeader(3)),
        (b"GET / HTTP/1.1\r\n Leading: 1\r\n\r\n", ParseError::BadHeader(1)),
    ];
    for (raw, want) in cases {
        assert_eq!(parse_request(raw).unwrap_err(), *want, "{:?}", String::from_utf8_lossy(raw));
    }
    let (r, _) = req(b"GET / HTTP/1.1\r\nX-Url: http://a:80/b\r\n\r\n");
    assert_eq!(r.header("x-url"), Some("http://a:80/b"));
}

#[test]
fn too_many_headers() {
    let mut raw = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..MAX_HEADERS {
        raw.extend_from_slice(format!("H{i}: {i}\r\n").as_bytes());
    }
    let mut ok = raw.clone();
    ok.extend_from_slice(b"\r\n");
    assert_eq!(req(&ok).0.headers.len(), MAX_HEADERS);
    raw.extend_from_slice(b"Extra: 1\r\n\r\n");
    assert_eq!(parse_request(&raw).unwrap_err(), ParseError::TooManyHeaders);
}

#[test]
fn request_line_errors_and_versions() {
    assert_eq!(parse_request(b"GET / HTTP/1.1 extra\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
    assert_eq!(parse_request(b"GET nopath HTTP/1.1\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
    assert_eq!(parse_request(b" / HTTP/1.1\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
    assert_eq!(parse_request(b"GET / HTTP/x.1\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
    assert_eq!(parse_request(b"GET / FTP/1.1\r\n\r\n").unwrap_err(), ParseError::BadRequestLine);
    assert_eq!(parse_request(b"GET / HTTP/0.9\r\n\r\n").unwrap_err(), ParseError::UnsupportedVersion);
    assert_eq!(parse_request(b"GET / HTTP/3.0\r\n\r\n").unwrap_err(), ParseError::UnsupportedVersion);
    assert_eq!(req(b"GET / HTTP/1.0\r\n\r\n").0.version, (1, 0));
    assert_eq!(parse_request(b"GET / HTTP/1.1\r\n").unwrap_err(), ParseError::Incomplete);
}

#[test]
fn content_length_errors_do_not_panic() {
    for v in ["-1", "", "12abc", "99999999999999999999999999", "0x10"] {
        let raw = format!("POST / HTTP/1.1\r\nContent-Length: {v}\r\n\r\n");
        let (r, used) = req(raw.as_bytes());
        assert_eq!(r.content_length(), Err(ParseError::BadContentLength), "{v}");
        assert_eq!(body(raw.as_bytes(), used, &r), Err(ParseError::BadContentLength));
    }
}

#[test]
fn body_limits() {
    let at_limit = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", MAX_BODY);
    let (r, used) = req(at_limit.as_bytes());
    assert_eq!(body(at_limit.as_bytes(), used, &r), Ok(None));
    let mut full = at_limit.clone().into_bytes();
    full.resize(used + MAX_BODY, b'x');
    assert_eq!(body(&full, used, &r).unwrap().map(|b| b.len()), Some(MAX_BODY));
    let over = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", MAX_BODY + 1);
    let (r, used) = req(over.as_bytes());
    assert_eq!(body(over.as_bytes(), used, &r), Err(ParseError::BodyTooLarge));
    let (r, used) = req(b"GET / HTTP/1.1\r\n\r\ntrailing");
    assert_eq!(body(b"GET / HTTP/1.1\r\n\r\ntrailing", used, &r), Ok(Some(&b""[..])));
}

#[test]
fn keep_alive_rules() {
    let cases: &[(&[u8], bool)] = &[
        (b"GET / HTTP/1.1\r\n\r\n", true),
        (b"GET / HTTP/1.0\r\n\r\n", false),
        (b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        (b"GET / HTTP/1.1\r\nconnection: CLOSE\r\n\r\n", false),
        (b"GET / HTTP/1.1\r\nConnection: upgrade\r\n\r\n", true),
        (b"GET / HTTP/1.0\r\nConnection: upgrade\r\n\r\n", false),
    ];
    for (raw, want) in cases {
        assert_eq!(req(raw).0.keep_alive(), *want, "{:?}", String::from_utf8_lossy(raw));
    }
}
