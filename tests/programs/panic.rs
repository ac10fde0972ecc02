// Test program for the kernel sensor: a Rust service-like function that panics, built with
// panic = "abort" (so the panic becomes SIGABRT) and frame pointers (so the stack can be walked).
use std::env;

#[inline(never)]
fn parse_port(value: &str) -> u16 {
    value.parse().expect("port must be a number") // PANIC-LINE
}

#[inline(never)]
fn load_config(args: &[String]) -> u16 {
    let raw = args.get(1).map(String::as_str).unwrap_or("not-a-port");
    parse_port(raw)
}

fn main() {
    let args: Vec<String> = env::args().collect();
    println!("{}", load_config(&args));
}
