//! Fault localization from execution spectra (issue 5): per-test coverage
//! collectors, SBFL formulas on a bit-packed CPU kernel, a learned ranker,
//! and the localizers that plug them into the repair engine's
//! [`Localizer`](crate::repair::localize::Localizer) trait.
//!
//! ```text
//! project + test command ─► collect::collect ─► Spectrum (elements × runs bits, pass/fail)
//!                           sbfl::score_rows ─► per-element Ochiai/DStar/Tarantula/Op2/Barinel
//! evidence ─► StackLocalizer ─┐
//!                             features::analyze ─► feature rows ─► ranker::Model ─► ranked Sites
//! ```

pub mod accuracy;
pub mod collect;
#[cfg(feature = "cuda")]
pub mod cuda;
pub mod features;
pub mod localizer;
pub mod ranker;
pub mod sbfl;
pub mod spectrum;

pub use localizer::{
    LearnedLocalizer, LocalizerError, LocalizerSpec, ModelSource, SpectrumLocalizer,
    localizer_by_name, localizer_with,
};
pub use sbfl::Formula;

#[cfg(test)]
mod tests;
