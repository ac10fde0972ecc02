//! healer's daemon library: the pipeline stages used by `healerd` and `healerctl`.
pub mod audit;
pub mod config;
pub mod daemon;
pub mod deploy;
pub mod diagnose;
pub mod heal;
pub mod learn;
pub mod localize;
pub mod repair;
pub mod sandbox;
pub mod sense;
pub mod service_case;
pub mod systemd;
pub mod watch;
