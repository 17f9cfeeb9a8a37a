//! Load under attack (`cargo bench --bench load [-- SECONDS]`): starts the release binary on
//! the shared corpus, then for a bounded time runs at once ordinary clients on keep-alive
//! connections (a mix of search, compare, matrix and gaps), a flood of gaps requests with a
//! peer list of 2,600 repeats, and 500 slow clients that each send a head one byte at a time and
//! reconnect when cut. Reports per request kind the throughput, p50 and p99 and the errors,
//! the slow clients' fate, and the server's peak resident memory (VmHWM). Loopback only; every
//! loop stops at the deadline. Prints numbers; nothing here is a test.
//!
//! `--baseline` runs the ordinary clients alone (no flood, no slow clients), `--flood` the
//! ordinary clients with the duplicate-peers flood only: the two runs whose p99 the acceptance
//! of issue 15 compares (`cargo bench --bench load -- 60 --baseline`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CLIENTS: usize = 8;
const FLOODERS: usize = 4;
const SLOW_CLIENTS: usize = 500;

fn main() {
    let secs: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(20);
    let args: Vec<String> = std::env::args().collect();
    let baseline = args.iter().any(|a| a == "--baseline");
    let flood_only = args.iter().any(|a| a == "--flood");
    let (flooders, slow_clients) = match (baseline, flood_only) {
        (true, _) => (0, 0),
        (false, true) => (FLOODERS, 0),
        _ => (FLOODERS, SLOW_CLIENTS),
    };
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("CONSULEX_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus"));
    let index = tempdir();
    let port = free_port();
    let bin = root.join("target/release/consulex");
    let mut server = Command::new(&bin)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("CONSULEX_CORPUS", &corpus)
        .env("CONSULEX_INDEX", &index)
        .current_dir(&root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (cargo build --release first)",
                bin.display()
            )
        });
    let pid = server.id();
    let up = Instant::now();
    while request(&mut None, port, "/health").map(|r| r.0) != Some(200) {
        assert!(
            up.elapsed() < Duration::from_secs(180),
            "server did not come up"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let rss_idle = rss_kb(pid, "VmRSS");
    println!(
        "server up (index built) in {:.1} s; RSS idle {} MB; {secs} s of load on {} cores; {CLIENTS} ordinary clients, {flooders} flooders, {slow_clients} slow clients",
        up.elapsed().as_secs_f64(),
        rss_idle / 1024,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    let mix: &[(&str, &str)] = &[
        (
            "search",
            "/v1/search?q=assist%C3%AAncia%20consular%20a%20presos&limit=10&expand=true",
        ),
        ("search", "/v1/search?q=pasaporte&country=AR,CO&limit=10"),
        (
            "compare",
            "/v1/compare?category=protection/detention&subsystem=MERCOSUR",
        ),
        ("matrix", "/v1/matrix?subsystem=SICA"),
        ("gaps", "/v1/gaps?country=UY"),
    ];
    let peers = vec!["CA"; 2600].join(",");
    let flood = format!("/v1/gaps?country=UY&peers={peers}");
    let stop = Arc::new(AtomicBool::new(false));
    let stats: Arc<Mutex<Vec<(String, u16, Duration)>>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut workers = Vec::new();
    for w in 0..CLIENTS {
        let (stats, mix) = (stats.clone(), mix.to_vec());
        workers.push(std::thread::spawn(move || {
            let mut conn = None;
            let mut i = w;
            while Instant::now() < deadline {
                let (kind, path) = mix[i % mix.len()];
                i += 1;
                let t = Instant::now();
                let status = request(&mut conn, port, path).map_or(0, |r| r.0);
                stats
                    .lock()
                    .unwrap()
                    .push((kind.to_string(), status, t.elapsed()));
            }
        }));
    }
    for _ in 0..flooders {
        let (stats, flood) = (stats.clone(), flood.clone());
        workers.push(std::thread::spawn(move || {
            let mut conn = None;
            while Instant::now() < deadline {
                let t = Instant::now();
                let status = request(&mut conn, port, &flood).map_or(0, |r| r.0);
                stats.lock().unwrap().push((
                    "gaps flood (2,600 peers)".into(),
                    status,
                    t.elapsed(),
                ));
            }
        }));
    }
    // slow clients: threads of 50 sockets each, one byte per socket per 200 ms
    let cut = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    for _ in 0..slow_clients / 50 {
        let (cut, refused, stop) = (cut.clone(), refused.clone(), stop.clone());
        workers.push(std::thread::spawn(move || {
            let open = || {
                let s = TcpStream::connect(("127.0.0.1", port)).ok()?;
                s.set_nonblocking(true).ok()?;
                let mut s = s;
                s.write_all(b"GET /health HTTP/1.1\r\nX-Slow: ").ok()?;
                Some(s)
            };
            let mut socks: Vec<Option<TcpStream>> = (0..50).map(|_| open()).collect();
            let mut buf = [0u8; 512];
            while Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
                for s in socks.iter_mut() {
                    let alive = match s {
                        Some(st) => match st.read(&mut buf) {
                            Ok(0) => {
                                cut.fetch_add(1, Ordering::Relaxed);
                                false
                            }
                            Ok(n) => {
                                if buf[..n].starts_with(b"HTTP/1.1 503") {
                                    refused.fetch_add(1, Ordering::Relaxed);
                                }
                                false
                            }
                            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                                st.write_all(b"a").is_ok()
                            }
                            Err(_) => {
                                cut.fetch_add(1, Ordering::Relaxed);
                                false
                            }
                        },
                        None => false,
                    };
                    if !alive {
                        *s = open();
                    }
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        }));
    }
    let mut peak = 0;
    while Instant::now() < deadline {
        peak = peak.max(rss_kb(pid, "VmRSS"));
        std::thread::sleep(Duration::from_millis(100));
    }
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        let _ = w.join();
    }
    let hwm = rss_kb(pid, "VmHWM");
    stop_server(&mut server);
    let _ = std::fs::remove_dir_all(&index);

    let stats = stats.lock().unwrap();
    println!(
        "{:<26} {:>8} {:>8} {:>9} {:>9} {:>7} {:>6}",
        "kind", "requests", "req/s", "p50 ms", "p99 ms", "errors", "503s"
    );
    let mut kinds: Vec<&str> = stats.iter().map(|s| s.0.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    for k in kinds {
        let mut lat: Vec<Duration> = stats.iter().filter(|s| s.0 == k).map(|s| s.2).collect();
        lat.sort();
        let errors = stats.iter().filter(|s| s.0 == k && s.1 != 200).count();
        let s503 = stats.iter().filter(|s| s.0 == k && s.1 == 503).count();
        let q =
            |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3;
        println!(
            "{k:<26} {:>8} {:>8.1} {:>9.2} {:>9.2} {errors:>7} {s503:>6}",
            lat.len(),
            lat.len() as f64 / secs as f64,
            q(0.5),
            q(0.99)
        );
    }
    println!(
        "slow clients: {slow_clients} held at once; {} cut by the server, {} refused with 503",
        cut.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
    println!(
        "server RSS: idle {} MB, peak sampled {} MB, VmHWM {} MB",
        rss_idle / 1024,
        peak / 1024,
        hwm / 1024
    );
}

/// One GET on a keep-alive connection (opened again if needed): status and body length.
fn request(conn: &mut Option<TcpStream>, port: u16, path: &str) -> Option<(u16, usize)> {
    for _ in 0..2 {
        if conn.is_none() {
            let s = TcpStream::connect(("127.0.0.1", port)).ok()?;
            s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
            let _ = s.set_nodelay(true);
            *conn = Some(s);
        }
        let s = conn.as_mut()?;
        let ok = write!(s, "GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n").is_ok();
        match ok.then(|| read_response(s)).flatten() {
            Some((status, len, close)) => {
                if close {
                    *conn = None;
                }
                return Some((status, len));
            }
            None => *conn = None,
        }
    }
    None
}

/// Reads one response with a content-length body.
fn read_response(s: &mut TcpStream) -> Option<(u16, usize, bool)> {
    let mut buf = Vec::with_capacity(8192);
    let mut chunk = [0u8; 16384];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let status = head.get(9..12)?.parse().ok()?;
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())?;
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some((status, len, head.contains("connection: close")))
}

fn rss_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn stop_server(server: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let end = Instant::now() + Duration::from_secs(20);
    while Instant::now() < end {
        if let Ok(Some(_)) = server.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.kill();
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(18090)
}

fn tempdir() -> std::path::PathBuf {
    let p = std::env::temp_dir().join(format!("consulex-load-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&p);
    p
}
