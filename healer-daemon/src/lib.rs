//! healer's daemon library: the pipeline stages used by `healerd` and `healerctl`.
pub mod audit;
pub mod config;
pub mod localize;
pub mod repair;
pub mod sandbox;
pub mod sense;
pub mod systemd;
pub mod watch;
