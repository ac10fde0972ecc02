//! `healerd`: healer's daemon.
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use healer_daemon::watch::{WatchOptions, run_watch};

#[derive(Parser)]
#[command(
    name = "healerd",
    version,
    about = "healer: a self-healing daemon for Linux services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run CMD in a fresh cgroup, print what the kernel sensor sees of it, exit when it is done.
    Watch {
        /// One JSON object per line instead of human-readable text.
        #[arg(long)]
        json: bool,
        /// Report syscalls slower than this many milliseconds as `slow_syscall` events
        /// (fractions allowed; 0 turns them off).
        #[arg(long, default_value_t = 100.0)]
        slow_ms: f64,
        /// Ring buffer size in KiB (power of two).
        #[arg(long, default_value_t = 4096)]
        ring_kib: u32,
        /// The command and its arguments.
        #[arg(required = true, last = true)]
        cmd: Vec<String>,
    },
    /// Validate healer.toml and services.d/*.toml; print every error and a summary.
    /// Exits 0 when all is valid, 1 on any error, 2 when the directory is missing.
    CheckConfig {
        /// Directory holding healer.toml and services.d/.
        #[arg(long, default_value = healer_daemon::config::DEFAULT_CONFIG_DIR)]
        config_dir: std::path::PathBuf,
    },
    /// Run the daemon: watch the services of the policies, record incidents, serve the
    /// D-Bus API (org.healer.Healer1). Stops on SIGTERM/SIGINT; SIGHUP reloads policies.
    Run {
        /// Directory holding healer.toml and services.d/.
        #[arg(long, default_value = healer_daemon::config::DEFAULT_CONFIG_DIR)]
        config_dir: std::path::PathBuf,
        /// Seconds between checks of syscall latency and error rates.
        #[arg(long, default_value_t = 5.0)]
        stats_interval_s: f64,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HEALER_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("healerd: cannot start the async runtime: {e}");
            return ExitCode::from(70);
        }
    };
    match cli.command {
        Command::Watch {
            json,
            slow_ms,
            ring_kib,
            cmd,
        } => {
            let opts = WatchOptions {
                json,
                slow_syscall_ns: (slow_ms.max(0.0) * 1e6).ceil() as u64,
                ring_bytes: ring_kib.saturating_mul(1024),
                keep_events: false,
                cmd,
            };
            match rt.block_on(run_watch(opts, &mut std::io::stdout().lock())) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("healerd: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Run {
            config_dir,
            stats_interval_s,
        } => {
            let mut opts = healer_daemon::daemon::DaemonOptions::new(config_dir);
            opts.stats_interval = std::time::Duration::from_secs_f64(stats_interval_s.max(0.1));
            match rt.block_on(healer_daemon::daemon::run(opts, None)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("healerd: {e:#}");
                    ExitCode::from(1)
                }
            }
        }
        // Reads files only: never loads the sensor, needs no root.
        Command::CheckConfig { config_dir } => {
            match healer_daemon::config::check_config(&config_dir, &mut std::io::stdout().lock()) {
                Ok(code) => ExitCode::from(code),
                Err(e) => {
                    eprintln!("healerd: check-config: cannot write the report: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
