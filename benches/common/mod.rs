//! Shared by the benches: the sandbox's data, the hand-written baseline, and the timings each
//! benchmark records so that the bench can print the ratios criterion does not.
//!
//! Every timed routine runs in [`Timings::time`] or [`Timings::time_async`] (inside criterion's
//! `iter_custom`), which record each sample, so the bench knows each sample's time per
//! iteration. The ratios printed at the end compare the
//! median time per iteration of the samples, leaving out the first sample of each benchmark
//! (the first call of the warm-up, which pays for cold caches and new connections).
//!
//! Each sample also records the CPU time the whole process spent meanwhile (every thread:
//! the client's, the runtime's and the sandbox's), from `/proc/self/task/*/schedstat`. On a
//! machine shared with other work, wall time grows with every process that takes the cores,
//! CPU time much less: the second ratio printed, CPU time per iteration against the
//! baseline's, is the one to read there (the server's work, the same for both sides, is in
//! both).

// Each bench uses a part of this module.
#![allow(dead_code)]

pub mod counting;
pub mod replay;

use std::collections::BTreeMap;
use std::future::Future;
use std::hint::black_box;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use atlas_endpoints::{Client, Link, ServerlessBackupRestoreJob};
use atlas_endpoints_sandbox::{Sandbox, SandboxBuilder};
use criterion::measurement::WallTime;
use criterion::BenchmarkGroup;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use serde::Deserialize;

/// The project the sandbox seeds.
pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
/// The serverless instance the sandbox seeds.
pub const INSTANCE: &str = "bench-instance";
/// The media type of the restore-jobs endpoint (version 2023-01-01).
pub const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A page as a hand-written client would declare it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HandPage {
    pub results: Vec<ServerlessBackupRestoreJob>,
    #[serde(default)]
    pub total_count: Option<u64>,
    #[serde(default)]
    pub links: Vec<Link>,
}

pub type HandError = Box<dyn std::error::Error + Send + Sync>;

/// The restore-jobs endpoint called by hand with reqwest and serde_json: what a user writes
/// without this crate (and what the official Go SDK leaves to its users for paging).
pub struct HandClient {
    pub http: reqwest::Client,
    /// E.g. `http://127.0.0.1:1234/api/atlas/v2`.
    pub api_root: String,
    pub token: String,
}

impl HandClient {
    pub fn new(base_url: &str, token: &str) -> Self {
        HandClient {
            http: reqwest::Client::new(),
            api_root: format!("{base_url}/api/atlas/v2"),
            token: token.to_owned(),
        }
    }

    /// The URL of one page; `items_per_page` is left out when `None`, as Atlas's default.
    pub fn url(
        &self,
        group: &str,
        name: &str,
        page_num: u32,
        items_per_page: Option<u32>,
    ) -> String {
        let api_root = &self.api_root;
        match items_per_page {
            Some(per_page) => format!(
                "{api_root}/groups/{group}/serverless/{name}/backup/restoreJobs\
                 ?pageNum={page_num}&itemsPerPage={per_page}"
            ),
            None => format!(
                "{api_root}/groups/{group}/serverless/{name}/backup/restoreJobs?pageNum={page_num}"
            ),
        }
    }

    /// `Accept` and `Authorization`, as every Atlas call needs them.
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::with_capacity(2);
        headers.insert(ACCEPT, HeaderValue::from_static(MEDIA_TYPE));
        let mut authorization = HeaderValue::try_from(format!("Bearer {}", self.token))
            .expect("the token is visible ASCII");
        authorization.set_sensitive(true);
        headers.insert(AUTHORIZATION, authorization);
        headers
    }

    /// The request for one page, built but not sent.
    pub fn request(
        &self,
        group: &str,
        name: &str,
        page_num: u32,
        items_per_page: Option<u32>,
    ) -> reqwest::Request {
        self.http
            .get(self.url(group, name, page_num, items_per_page))
            .headers(self.headers())
            .build()
            .expect("a well-formed request")
    }

    /// Sends the request for one page and decodes it.
    pub async fn page(
        &self,
        group: &str,
        name: &str,
        page_num: u32,
        items_per_page: Option<u32>,
    ) -> Result<HandPage, HandError> {
        let response = self
            .http
            .get(self.url(group, name, page_num, items_per_page))
            .headers(self.headers())
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }

    /// Every item, page after page until a short page (or once `totalCount` items are in, so
    /// that it sends exactly as many requests as the crate's listing).
    pub async fn list_all(
        &self,
        group: &str,
        name: &str,
        items_per_page: u32,
    ) -> Result<Vec<ServerlessBackupRestoreJob>, HandError> {
        let mut items = Vec::new();
        let mut page_num = 1;
        loop {
            let page = self
                .page(group, name, page_num, Some(items_per_page))
                .await?;
            let len = page.results.len();
            items.extend(page.results);
            let counted_all = page
                .total_count
                .is_some_and(|total| items.len() as u64 >= total);
            if len < items_per_page as usize || counted_all {
                return Ok(items);
            }
            page_num += 1;
        }
    }
}

/// The time per iteration of every sample of every benchmark, by name.
pub struct Timings {
    samples: Mutex<BTreeMap<String, Vec<Duration>>>,
    /// The CPU time and iterations of every sample, by name.
    cpu: Mutex<BTreeMap<String, Vec<(Duration, u64)>>>,
}

/// The CPU time this process's threads have spent so far (threads that ended are not
/// counted; the benches' threads live as long as the bench). Zero where `/proc` has no
/// scheduler statistics.
pub fn process_cpu_time() -> Duration {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let nanos: u64 = tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

impl Timings {
    pub const fn new() -> Self {
        Timings {
            samples: Mutex::new(BTreeMap::new()),
            cpu: Mutex::new(BTreeMap::new()),
        }
    }

    /// Runs `routine` `iters` times, each result through `black_box`, and records the time
    /// they took as one sample of `name`; returns it for criterion.
    pub fn time<T>(&self, name: &str, iters: u64, mut routine: impl FnMut() -> T) -> Duration {
        let cpu = process_cpu_time();
        let start = Instant::now();
        for _ in 0..iters {
            black_box(routine());
        }
        let elapsed = start.elapsed();
        self.record_cpu(name, iters, process_cpu_time().saturating_sub(cpu));
        self.record(name, iters, elapsed)
    }

    /// [`Timings::time`] for a routine that returns a future: each future is awaited before
    /// the next routine starts.
    pub async fn time_async<F: Future>(
        &self,
        name: &str,
        iters: u64,
        mut routine: impl FnMut() -> F,
    ) -> Duration {
        let cpu = process_cpu_time();
        let start = Instant::now();
        for _ in 0..iters {
            black_box(routine().await);
        }
        let elapsed = start.elapsed();
        self.record_cpu(name, iters, process_cpu_time().saturating_sub(cpu));
        self.record(name, iters, elapsed)
    }

    /// Adds the async `routine` to `group` as `id`, run on `rt` and recorded as `name`.
    pub fn bench_async<F: Future>(
        &self,
        group: &mut BenchmarkGroup<'_, WallTime>,
        (id, name): (&str, &str),
        rt: &tokio::runtime::Runtime,
        routine: impl Fn() -> F,
    ) {
        group.bench_function(id, |b| {
            b.to_async(rt).iter_custom(|iters| {
                let routine = &routine;
                async move { self.time_async(name, iters, routine).await }
            })
        });
    }

    /// Records one sample of `iters` iterations that took `elapsed`, and returns `elapsed`
    /// for criterion.
    pub fn record(&self, name: &str, iters: u64, elapsed: Duration) -> Duration {
        let per_iteration = elapsed.div_f64(iters.max(1) as f64);
        self.samples
            .lock()
            .unwrap()
            .entry(name.to_owned())
            .or_default()
            .push(per_iteration);
        elapsed
    }

    /// Records the CPU time of one sample of `iters` iterations.
    fn record_cpu(&self, name: &str, iters: u64, cpu: Duration) {
        self.cpu
            .lock()
            .unwrap()
            .entry(name.to_owned())
            .or_default()
            .push((cpu, iters));
    }

    /// The CPU time per iteration of the benchmark's samples together, without its first
    /// sample; `None` when it did not run or no CPU time could be read.
    pub fn cpu_per_iteration(&self, name: &str) -> Option<Duration> {
        let cpu = self.cpu.lock().unwrap();
        let (total, iters) = cpu
            .get(name)?
            .iter()
            .skip(1)
            .fold((Duration::ZERO, 0u64), |(total, iters), (cpu, n)| {
                (total + *cpu, iters + n)
            });
        (iters > 0 && !total.is_zero()).then(|| total.div_f64(iters as f64))
    }

    /// The median time per iteration of the benchmark's samples, without its first sample;
    /// `None` when it did not run (filtered out, `--list`, `--test`).
    pub fn median(&self, name: &str) -> Option<Duration> {
        let samples = self.samples.lock().unwrap();
        let mut times: Vec<Duration> = samples.get(name)?.iter().skip(1).copied().collect();
        if times.is_empty() {
            return None;
        }
        times.sort();
        Some(times[times.len() / 2])
    }

    /// Prints each benchmark's median against `baseline`'s: a ratio above 1 is slower than
    /// the baseline. Prints nothing, and returns false, when the baseline did not run.
    pub fn print_ratios(&self, title: &str, baseline: &str, others: &[&str]) -> bool {
        let Some(base) = self.median(baseline) else {
            return false;
        };
        let base_cpu = self.cpu_per_iteration(baseline);
        println!(
            "\n{title}: median time per iteration, ratio to {baseline}; CPU time per iteration \
             (all threads), ratio"
        );
        let cpu_columns = |name: &str| match (self.cpu_per_iteration(name), base_cpu) {
            (Some(cpu), Some(base_cpu)) => format!(
                "   {:>12}   {:.2}",
                format_duration(cpu),
                cpu.as_secs_f64() / base_cpu.as_secs_f64()
            ),
            _ => String::new(),
        };
        println!(
            "  {baseline:<40} {:>12}   1.00{}",
            format_duration(base),
            cpu_columns(baseline)
        );
        for name in others {
            if let Some(time) = self.median(name) {
                println!(
                    "  {name:<40} {:>12}   {:.2}{}",
                    format_duration(time),
                    time.as_secs_f64() / base.as_secs_f64(),
                    cpu_columns(name)
                );
            }
        }
        true
    }
}

/// A duration with a unit that suits it, e.g. `1.23 µs`.
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.as_secs_f64() * 1e9;
    if nanos < 1e3 {
        format!("{nanos:.1} ns")
    } else if nanos < 1e6 {
        format!("{:.2} µs", nanos / 1e3)
    } else if nanos < 1e9 {
        format!("{:.2} ms", nanos / 1e6)
    } else {
        format!("{:.3} s", nanos / 1e9)
    }
}

/// A runtime like an application's: multi-threaded, one worker per core of this 2-core
/// machine. The sandbox serves on the same runtime.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A started sandbox, and the two clients a bench compares against it.
pub struct Served {
    pub sandbox: Sandbox,
    /// The crate's client.
    pub client: Client,
    pub hand: HandClient,
}

/// Starts `sandbox` on `rt`, then builds the crate's client (with `timeout`) and the
/// hand-written one, both with the sandbox's address and token.
pub fn serve(rt: &tokio::runtime::Runtime, sandbox: SandboxBuilder, timeout: Duration) -> Served {
    let sandbox = rt.block_on(sandbox.start()).expect("the sandbox starts");
    let (client, hand) = clients(&sandbox.base_url(), sandbox.token(), timeout);
    Served {
        sandbox,
        client,
        hand,
    }
}

/// The crate's client (with `timeout`) and the hand-written one, both for `base_url`.
pub fn clients(base_url: &str, token: &str, timeout: Duration) -> (Client, HandClient) {
    let client = Client::builder()
        .base_url(base_url)
        .bearer_token(token)
        .timeout(timeout)
        .build()
        .expect("a client");
    (client, HandClient::new(base_url, token))
}
