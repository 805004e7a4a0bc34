//! A database that hangs or drops its connections (PostgreSQL behind a proxy the test
//! controls): `/ready` answers within 2 s, reads fail fast with 503, a batch cut mid-flight is
//! a 503 with `Retry-After` and writes nothing, and the service recovers on its own.

use crate::support::{TestApp, TestDatabase};
use connect2030::config::{DbTimeouts, Settings};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FORWARD: u8 = 0;
const FREEZE: u8 = 1;
const CUT: u8 = 2;

/// A TCP proxy in front of PostgreSQL that can freeze (hold every byte, like a stopped server)
/// or cut (close every connection and refuse new ones, like a crashed one).
struct Proxy {
    port: u16,
    mode: Arc<AtomicU8>,
    /// Cut once this many bytes went to the server (0: never).
    cut_after: Arc<AtomicU64>,
    sent: Arc<AtomicU64>,
    sockets: Arc<Mutex<Vec<TcpStream>>>,
}

impl Proxy {
    fn start(upstream: String) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let proxy = Proxy {
            port: listener.local_addr().unwrap().port(),
            mode: Arc::default(),
            cut_after: Arc::default(),
            sent: Arc::default(),
            sockets: Arc::default(),
        };
        let (mode, cut_after, sent, sockets) =
            (proxy.mode.clone(), proxy.cut_after.clone(), proxy.sent.clone(), proxy.sockets.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if mode.load(Ordering::SeqCst) == CUT {
                    continue;
                }
                let Ok(server) = TcpStream::connect(&upstream) else { continue };
                sockets.lock().unwrap().extend([client.try_clone().unwrap(), server.try_clone().unwrap()]);
                let pipe = |from: &TcpStream, to: &TcpStream, counted: bool| {
                    let (mut from, mut to) = (from.try_clone().unwrap(), to.try_clone().unwrap());
                    let (mode, cut_after, sent, sockets) =
                        (mode.clone(), cut_after.clone(), sent.clone(), sockets.clone());
                    std::thread::spawn(move || {
                        let mut buffer = [0u8; 16 * 1024];
                        while let Ok(n) = from.read(&mut buffer) {
                            while mode.load(Ordering::SeqCst) == FREEZE {
                                std::thread::sleep(Duration::from_millis(10));
                            }
                            let total = if counted { sent.fetch_add(n as u64, Ordering::SeqCst) + n as u64 } else { 0 };
                            let limit = cut_after.load(Ordering::SeqCst);
                            if limit > 0 && total > limit {
                                cut(&mode, &sockets);
                            }
                            if n == 0 || mode.load(Ordering::SeqCst) == CUT || to.write_all(&buffer[..n]).is_err() {
                                break;
                            }
                        }
                        let _ = to.shutdown(Shutdown::Both);
                    });
                };
                pipe(&client, &server, true);
                pipe(&server, &client, false);
            }
        });
        proxy
    }

    fn set(&self, mode: u8) {
        if mode == CUT {
            cut(&self.mode, &self.sockets);
        } else {
            self.mode.store(mode, Ordering::SeqCst);
        }
    }
}

fn cut(mode: &AtomicU8, sockets: &Mutex<Vec<TcpStream>>) {
    mode.store(CUT, Ordering::SeqCst);
    for socket in sockets.lock().unwrap().drain(..) {
        let _ = socket.shutdown(Shutdown::Both);
    }
}

/// A service on a fresh PostgreSQL database reached through a proxy, with short timeouts;
/// none on SQLite (a file cannot hang up).
fn behind_proxy() -> Option<(TestApp, Proxy)> {
    let db = TestDatabase::create();
    if !db.is_postgres() {
        return None;
    }
    let (user, rest) = db.url.split_once('@').unwrap();
    let (server, name) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(server.to_string());
    let mut settings = Settings::for_database(&format!("{user}@127.0.0.1:{}/{name}", proxy.port)).unwrap();
    settings.db_timeouts = DbTimeouts {
        connect: Duration::from_secs(1),
        checkout: Duration::from_secs(1),
        statement: Duration::from_secs(2),
    };
    Some((TestApp::spawn_with_settings(db, settings), proxy))
}

fn eventually_ready(app: &TestApp) {
    let started = Instant::now();
    while app.get("/ready").status != 200 {
        assert!(started.elapsed() < Duration::from_secs(30), "the service did not recover");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn with_a_hung_database_ready_answers_within_2_s_and_reads_fail_fast_with_503() {
    let Some((app, proxy)) = behind_proxy() else { return };
    assert_eq!(app.get("/ready").status, 200);
    proxy.set(FREEZE);

    let started = Instant::now();
    let ready = app.get("/ready");
    assert!(started.elapsed() < Duration::from_millis(2500), "/ready took {:?}", started.elapsed());
    ready.assert_problem(503, "unavailable");

    let started = Instant::now();
    let read = app.get("/api/v1/observations");
    assert!(started.elapsed() < Duration::from_secs(5), "a read took {:?}", started.elapsed());
    read.assert_problem(503, "unavailable");
    assert!(read.header("retry-after").is_some(), "{:?}", read.headers);

    proxy.set(FORWARD);
    eventually_ready(&app);
    assert_eq!(app.get("/api/v1/observations").status, 200);
}

#[test]
fn losing_the_database_mid_batch_answers_503_with_retry_after_and_writes_nothing() {
    let Some((app, proxy)) = behind_proxy() else { return };
    let key = app.admin_key();
    let economies = connect2030::reference::economies();
    let indicators = ["individuals_internet_pct", "households_internet_pct", "egov_interaction_pct"];
    let rows: Vec<Value> = economies[..250]
        .iter()
        .flat_map(|country| indicators.iter().map(move |indicator| (country, indicator)))
        .flat_map(|(country, indicator)| {
            (1980..2020)
                .map(move |year| json!({"country": country, "indicator": indicator, "year": year, "value": 50.5}))
        })
        .collect();
    assert_eq!(rows.len(), 30_000);
    let batch = json!({ "observations": rows });

    // Cut once a good part of the batch went to the server: the request is mid-flight.
    proxy.cut_after.store(proxy.sent.load(Ordering::SeqCst) + 300_000, Ordering::SeqCst);
    let answer = app.post_json("/api/v1/observations", &key, &batch);
    assert_eq!(proxy.mode.load(Ordering::SeqCst), CUT, "the batch finished before the cut");
    answer.assert_problem(503, "unavailable");
    assert!(answer.header("retry-after").is_some(), "{:?}", answer.headers);

    proxy.cut_after.store(0, Ordering::SeqCst);
    proxy.set(FORWARD);
    eventually_ready(&app);
    assert_eq!(app.get("/api/v1/observations?limit=1").json()["observations"], json!([]));
    assert_eq!(app.post_json("/api/v1/observations", &key, &batch).status, 201);
}
