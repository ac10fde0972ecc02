//! Shared helpers for healer integration tests.
