//! URL router: matches `METHOD /path` against route patterns with `:param` segments.

enum Segment {
    Literal(String),
    Param(String),
}

struct Route {
    method: String,
    pattern: Vec<Segment>,
    handler: String,
}

pub struct Router {
    routes: Vec<Route>,
}

/// The non-empty segments of an absolute path; None when the path is not absolute.
fn split_path(path: &str) -> Option<Vec<&str>> {
    let rest = path.strip_prefix('/')?;
    Some(rest.split('/').filter(|segment| !segment.is_empty()).collect())
}

/// Percent-decode one path segment; None when an escape is malformed or the result is not UTF-8.
fn decode_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn parse_pattern(pattern: &str) -> Option<Vec<Segment>> {
    let segments = split_path(pattern)?;
    Some(
        segments
            .into_iter()
            .map(|s| match s.strip_prefix(':') {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            })
            .collect(),
    )
}

impl Router {
    pub fn new() -> Self {
        let mut router = Router { routes: Vec::new() };
        for (method, pattern, handler) in [
            ("GET", "/health", "health"),
            ("GET", "/users", "list_users"),
            ("POST", "/users", "create_user"),
            ("GET", "/users/:id", "get_user"),
            ("GET", "/users/:id/orders/:order", "get_order"),
        ] {
            router.add(method, pattern, handler);
        }
        router
    }

    pub fn handle(&mut self, line: &str) -> String {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["ROUTE", method, path] => self.route(method, path),
            ["ADD", method, pattern, handler] => self.add(method, pattern, handler),
            ["ROUTES"] => format!("ROUTES {}", self.routes.len()),
            _ => "ERR usage: ROUTE METHOD /path | ADD METHOD /pattern handler | ROUTES".to_string(),
        }
    }

    fn add(&mut self, method: &str, pattern: &str, handler: &str) -> String {
        let Some(segments) = parse_pattern(pattern) else {
            return "ERR pattern must start with /".to_string();
        };
        self.routes.push(Route {
            method: method.to_ascii_uppercase(),
            pattern: segments,
            handler: handler.to_string(),
        });
        format!("ADDED {handler}")
    }

    fn route(&self, method: &str, path: &str) -> String {
        let segments = match split_path(path) {
            Some(segments) => segments,
            None => return "ERR path must start with /".to_string(),
        };
        let decoded: Option<Vec<String>> = segments.iter().map(|s| decode_segment(s)).collect();
        let Some(segments) = decoded else {
            return "ERR malformed percent-encoding".to_string();
        };
        for route in self.routes.iter().filter(|r| r.method.eq_ignore_ascii_case(method)) {
            if let Some(params) = Self::match_route(route, &segments) {
                let params: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                return format!("MATCH {} {}", route.handler, params.join(" ")).trim_end().to_string();
            }
        }
        "NO_MATCH".to_string()
    }

    fn match_route<'a>(route: &'a Route, segments: &'a [String]) -> Option<Vec<(&'a str, &'a str)>> {
        if segments.len() > route.pattern.len() {
            return None;
        }
        let mut params = Vec::new();
        for (i, segment) in route.pattern.iter().enumerate() {
            match segment {
                Segment::Literal(text) if *text != segments[i] => return None,
                Segment::Literal(_) => {}
                Segment::Param(name) => params.push((name.as_str(), segments[i].as_str())),
            }
        }
        Some(params)
    }
}

#[cfg(test)]
mod tests {
    use super::Router;

    #[test]
    fn literal_route() {
        assert_eq!(Router::new().handle("ROUTE GET /health"), "MATCH health");
    }

    #[test]
    fn method_selects_route() {
        assert_eq!(Router::new().handle("ROUTE POST /users"), "MATCH create_user");
    }

    #[test]
    fn params_are_captured() {
        let router = &mut Router::new();
        assert_eq!(router.handle("ROUTE GET /users/42"), "MATCH get_user id=42");
        assert_eq!(router.handle("ROUTE GET /users/42/orders/7"), "MATCH get_order id=42 order=7");
    }

    #[test]
    fn params_are_percent_decoded() {
        assert_eq!(Router::new().handle("ROUTE GET /users/ann%20lee"), "MATCH get_user id=ann lee");
    }

    #[test]
    fn unknown_path() {
        assert_eq!(Router::new().handle("ROUTE GET /nope"), "NO_MATCH");
    }

    #[test]
    fn added_route_matches() {
        let router = &mut Router::new();
        assert_eq!(router.handle("ADD DELETE /users/:id delete_user"), "ADDED delete_user");
        assert_eq!(router.handle("ROUTE DELETE /users/9"), "MATCH delete_user id=9");
    }
}
