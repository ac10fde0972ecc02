//! TCP front end of the URL router: one request line in, one response line out.
//!
//! Usage: `routerd` serves on 127.0.0.1:$PORT; `routerd --replay FILE` runs the request
//! lines of FILE through the same handler and prints the responses.

mod router;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

fn replay(path: &str, service: &mut router::Router) {
    let text = std::fs::read_to_string(path).expect("read the replay file");
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        eprintln!("request: {line}");
        println!("{}", service.handle(line));
    }
}

fn serve(port: u16, service: &mut router::Router) {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind the listening socket");
    eprintln!("listening on {port}");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let Ok(mut writer) = stream.try_clone() else { continue };
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            eprintln!("request: {line}");
            let reply = service.handle(line);
            if writeln!(writer, "{reply}").is_err() {
                break;
            }
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut service = router::Router::new();
    if args.len() == 3 && args[1] == "--replay" {
        replay(&args[2], &mut service);
        return;
    }
    let port = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    serve(port, &mut service);
}
