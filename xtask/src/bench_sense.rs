//! `cargo xtask bench sense`: what the kernel sensor costs and how fast it reports.
//!
//! Every ratio compares runs made in the same invocation, interleaved round by round, so
//! that machine noise hits both sides alike. Medians over rounds are reported.
use std::{
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use healer_common::WatchConfig;
use healer_daemon::{
    sense::{Event, KernelSensor, Sensor, SensorOptions, cgroup::ScratchCgroup},
    watch::command_in_cgroup,
};
use serde_json::json;

use crate::{build_c, build_release_bins};

const GETPID_ITERS: &str = "2000000";
const IO_ITERS: &str = "300000";
const FLOOD_ITERS: u64 = 1_000_000;
const CRASHES: usize = 200;

pub fn run(json: bool, rounds: usize) -> anyhow::Result<()> {
    if !nix::unistd::Uid::effective().is_root() {
        bail!("the benchmark loads eBPF programs: run it as root");
    }
    let bench = build_c("bench", &["-O2"])?;
    let [healerd] = build_release_bins(["healerd"])?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let results = rt.block_on(measure(&bench, &healerd, rounds))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&results)?);
    } else {
        for (k, v) in results.as_object().expect("object") {
            println!("{k:<28} {v}");
        }
    }
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i]
}

/// Runs a bench workload in `cgroup` (or where we are) and returns its ns per iteration.
async fn workload(
    bench: &Path,
    args: &[&str],
    cgroup: Option<&ScratchCgroup>,
) -> anyhow::Result<f64> {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let bin = bench.to_str().context("utf-8 path")?;
    let mut cmd = match cgroup {
        Some(cg) => command_in_cgroup(bin, &args, cg)?,
        None => {
            let mut c = tokio::process::Command::new(bin);
            c.args(&args);
            c
        }
    };
    let out = cmd.output().await?;
    if !out.status.success() {
        bail!("{bin} {args:?} failed");
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
}

struct Overheads {
    getpid: [Vec<f64>; 3],
    io: [Vec<f64>; 3],
}

async fn measure(bench: &Path, healerd: &Path, rounds: usize) -> anyhow::Result<serde_json::Value> {
    let io_file = bench.to_str().context("utf-8")?.to_string();
    let getpid_args = ["getpid", GETPID_ITERS];
    let io_args = ["io", IO_ITERS, io_file.as_str()];

    // 1. Syscall overhead: [no probes, probes + unwatched cgroup, probes + watched cgroup].
    let mut o = Overheads {
        getpid: Default::default(),
        io: Default::default(),
    };
    let unwatched = ScratchCgroup::create_unique("bench-unwatched")?;
    let watched = ScratchCgroup::create_unique("bench-watched")?;
    for _ in 0..rounds {
        o.getpid[0].push(workload(bench, &getpid_args, Some(&unwatched)).await?);
        o.io[0].push(workload(bench, &io_args, Some(&unwatched)).await?);
        let mut sensor = KernelSensor::load(&SensorOptions::default())?;
        sensor.watch(watched.id(), WatchConfig { slow_syscall_ns: 0 })?;
        o.getpid[1].push(workload(bench, &getpid_args, Some(&unwatched)).await?);
        o.io[1].push(workload(bench, &io_args, Some(&unwatched)).await?);
        o.getpid[2].push(workload(bench, &getpid_args, Some(&watched)).await?);
        o.io[2].push(workload(bench, &io_args, Some(&watched)).await?);
        while sensor.try_next_event().is_some() {}
    }
    let m = |v: &Vec<f64>| median(v.clone());
    let (g0, g1, g2) = (m(&o.getpid[0]), m(&o.getpid[1]), m(&o.getpid[2]));
    let (i0, i1, i2) = (m(&o.io[0]), m(&o.io[1]), m(&o.io[2]));

    // 2. Ring throughput: one ring event per syscall, consumed as fast as we can.
    let (events_per_s, ring_lost, consumed) = ring_throughput(bench, &watched).await?;

    // 3. Detection latency: kernel timestamp at signal delivery → decoded, symbolized event.
    let (p50, p99) = detection_latency(bench, &watched).await?;

    // 4. Daemon footprint: healerd's RSS and CPU, idle and while consuming a flood.
    let idle = footprint(healerd, &["--", "sleep", "3"], Duration::from_millis(2500))?;
    let load = footprint(
        healerd,
        &[
            "--slow-ms",
            "0.000001",
            "--",
            bench.to_str().context("utf-8")?,
            "getpid",
            "3000000",
        ],
        Duration::from_millis(2000),
    )?;

    Ok(json!({
        "rounds": rounds,
        "getpid_ns_no_probes": g0,
        "getpid_ns_unwatched": g1,
        "getpid_ns_watched": g2,
        "getpid_unwatched_ratio": g1 / g0,
        "getpid_watched_ratio": g2 / g0,
        "io_ns_no_probes": i0,
        "io_ns_unwatched": i1,
        "io_ns_watched": i2,
        "io_unwatched_ratio": i1 / i0,
        "io_watched_ratio": i2 / i0,
        "ring_events_per_s": events_per_s,
        "ring_events_consumed": consumed,
        "ring_lost": ring_lost,
        "detect_latency_p50_us": p50,
        "detect_latency_p99_us": p99,
        "idle_rss_mb": idle.0,
        "idle_cpu_pct": idle.1,
        "load_rss_mb": load.0,
        "load_cpu_pct": load.1,
    }))
}

async fn ring_throughput(bench: &Path, cg: &ScratchCgroup) -> anyhow::Result<(f64, u64, u64)> {
    let mut sensor = KernelSensor::load(&SensorOptions {
        ring_bytes: 1 << 26,
        ..SensorOptions::default()
    })?;
    sensor.watch(cg.id(), WatchConfig { slow_syscall_ns: 1 })?;
    let n = FLOOD_ITERS.to_string();
    let mut child = command_in_cgroup(bench.to_str().context("utf-8")?, &["getpid".into(), n], cg)?
        .stdout(std::process::Stdio::null())
        .spawn()?;
    let mut consumed = 0u64;
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    let mut exited = false;
    loop {
        tokio::select! {
            ev = sensor.next_event() => {
                ev?;
                consumed += 1;
                last = Instant::now();
                first.get_or_insert(last);
            }
            _ = child.wait(), if !exited => { exited = true; }
            _ = tokio::time::sleep(Duration::from_millis(300)), if exited => break,
        }
    }
    let secs = first.map(|f| (last - f).as_secs_f64()).unwrap_or(0.0);
    let lost = sensor.lost()?.ring_full;
    Ok((
        if secs > 0.0 {
            consumed as f64 / secs
        } else {
            0.0
        },
        lost,
        consumed,
    ))
}

async fn detection_latency(bench: &Path, cg: &ScratchCgroup) -> anyhow::Result<(f64, f64)> {
    let mut sensor = KernelSensor::load(&SensorOptions::default())?;
    sensor.watch(cg.id(), WatchConfig { slow_syscall_ns: 0 })?;
    let bin = bench.to_str().context("utf-8")?;
    let mut lat_us = Vec::with_capacity(CRASHES);
    for _ in 0..CRASHES {
        let mut child = command_in_cgroup(bin, &["crash".into()], cg)?
            .stdout(std::process::Stdio::null())
            .spawn()?;
        loop {
            let ev = tokio::time::timeout(Duration::from_secs(5), sensor.next_event())
                .await
                .context("no crash event within 5 s")??;
            if let Event::Crash(c) = ev {
                let now = nix::time::clock_gettime(nix::time::ClockId::CLOCK_BOOTTIME)?;
                let now_ns = now.tv_sec() as u64 * 1_000_000_000 + now.tv_nsec() as u64;
                lat_us.push(now_ns.saturating_sub(c.boot_ns) as f64 / 1e3);
                break;
            }
        }
        child.wait().await?;
    }
    lat_us.sort_by(|a, b| a.total_cmp(b));
    Ok((percentile(&lat_us, 0.5), percentile(&lat_us, 0.99)))
}

/// Runs `healerd watch ARGS`, samples its RSS (MiB) at `at` and its CPU use (% of one core)
/// from 0.5 s to `at`.
fn footprint(healerd: &Path, args: &[&str], at: Duration) -> anyhow::Result<(f64, f64)> {
    let mut child = Command::new(healerd)
        .arg("watch")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let pid = child.id();
    let ticks = |pid: u32| -> anyhow::Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
        let after = stat.rsplit_once(')').context("stat format")?.1;
        let f: Vec<&str> = after.split_whitespace().collect();
        Ok(f[11].parse::<u64>()? + f[12].parse::<u64>()?)
    };
    std::thread::sleep(Duration::from_millis(500));
    let t0 = ticks(pid)?;
    let w0 = Instant::now();
    std::thread::sleep(at.saturating_sub(Duration::from_millis(500)));
    let t1 = ticks(pid)?;
    let wall = w0.elapsed().as_secs_f64();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let rss_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    child.wait()?;
    let hz = 100.0; // USER_HZ on Linux
    Ok((rss_kb / 1024.0, (t1 - t0) as f64 / hz / wall * 100.0))
}
