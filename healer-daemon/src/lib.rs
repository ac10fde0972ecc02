//! healer's daemon library: the pipeline stages used by `healerd` and `healerctl`.
pub mod repair;
pub mod sense;
