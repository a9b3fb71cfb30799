//! End-to-end: the real desktop binary in a real WebKitGTK window under Xvfb, driven through
//! WebDriver (tauri-driver + WebKitWebDriver + fantoccini), walking the user's path:
//! open the sample, create a project, add a site and a source, import a bill ledger, compare the
//! totals on screen with `lingtan inventory --json`, drill down, switch language, export the PDF
//! and the workbook and read them back, verify the audit chain, cancel a 700,800-row import and
//! undo an import. A screenshot of every screen goes to target/e2e-shots/; look at them.
//!
//! Needs (Debian): webkit2gtk-driver xvfb xauth, and `cargo install tauri-driver --locked
//! --version '^2'` (`make test` installs them). ui/dist must be built first (`make`).
//! Native dialogs cannot be driven through WebDriver: every dialog has a path field next to it,
//! which the test types into; the dialogs themselves are tested by hand.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(60);
const UI_TIMEOUT: Duration = Duration::from_secs(30);
const NOW: &str = "2025-03-15T09:00:00Z";

/// A child process stopped with SIGTERM on drop (SIGKILL only after 5 s: a SIGKILL to
/// tauri-driver orphans WebKitWebDriver and the app).
struct Proc {
    name: &'static str,
    child: Child,
}

impl Proc {
    fn terminate(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("[e2e] {} ignored SIGTERM for 5 s: SIGKILL", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn wait_port(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

/// Our own Xvfb on the first free display (`-displayfd 1` prints its number).
fn start_xvfb() -> (Proc, String) {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb not found: apt-get install xvfb xauth (make test does)");
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        BufReader::new(out)
            .read_line(&mut line)
            .expect("Xvfb display");
    }
    let display = format!(":{}", line.trim());
    assert!(display.len() > 1, "Xvfb printed no display number");
    (
        Proc {
            name: "Xvfb",
            child,
        },
        display,
    )
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn shots_dir() -> PathBuf {
    let dir = root().join("target/e2e-shots");
    std::fs::create_dir_all(&dir).expect("shots dir");
    dir
}

/// The `lingtan` command built next to the app (cargo test --workspace builds it; otherwise
/// build it now).
fn lingtan_cli() -> PathBuf {
    let app = Path::new(env!("CARGO_BIN_EXE_lingtan-desktop"));
    let cli = app.with_file_name("lingtan");
    if !cli.is_file() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let st = Command::new(cargo)
            .args(["build", "-p", "lingtan-cli"])
            .current_dir(root())
            .status()
            .expect("cargo");
        assert!(st.success(), "could not build the lingtan command");
    }
    assert!(cli.is_file(), "{} missing", cli.display());
    cli
}

fn inventory_json(cli: &Path, project: &Path) -> Value {
    let out = Command::new(cli)
        .arg("inventory")
        .arg(project)
        .arg("--json")
        .env("LINGTAN_NOW", NOW)
        .output()
        .expect("lingtan inventory");
    assert!(
        out.status.success(),
        "lingtan inventory --json failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("inventory JSON")
}

/// A JSON total as the screen shows it: 3 decimals, half to even.
fn t3(v: &Value) -> String {
    let d: Decimal = v
        .as_str()
        .expect("decimal string")
        .parse()
        .expect("decimal");
    format!(
        "{:.3}",
        d.round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
    )
}

struct Ui {
    c: Client,
    shots: PathBuf,
    n: u32,
}

impl Ui {
    async fn el(&self, css: &str) -> Element {
        self.c
            .wait()
            .at_most(UI_TIMEOUT)
            .every(Duration::from_millis(20))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
    }

    async fn click(&self, css: &str) {
        let el = self.el(css).await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Replace a field's text (inputs and textareas), as a person types it.
    async fn fill(&self, css: &str, text: &str) {
        let el = self.el(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        if !text.is_empty() {
            el.send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into {css}: {e}"));
        }
    }

    /// Choose an <select> option by its value.
    async fn select(&self, css: &str, value: &str) {
        let el = self.el(css).await;
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        self.el(css).await.text().await.unwrap_or_default()
    }

    async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.el(css).await.attr(name).await.unwrap_or(None)
    }

    /// Wait until `js` (a function body returning a value) returns something truthy.
    async fn until(&self, what: &str, js: &str) -> Value {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let v = self.c.execute(js, vec![]).await.unwrap_or(Value::Null);
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::String(s) => !s.is_empty(),
                Value::Number(n) => n.as_f64() != Some(0.0),
                _ => true,
            };
            if truthy {
                return v;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Add an electricity source in kWh through the Sources form, and wait until it is listed.
    async fn add_electricity_source(&self, name: &str, site: &str) {
        self.fill("#source-name", name).await;
        self.until(
            "the site in the source form",
            &format!(
                "return document.querySelector('#source-site option[value=' + JSON.stringify({}) + ']')",
                json!(site)
            ),
        )
        .await;
        self.select("#source-site", site).await;
        self.select("#source-kind", "electricity").await;
        self.select("#source-unit", "kWh").await;
        self.click("#source-add").await;
        self.until(
            "the new source in the list",
            &format!(
                "return [...document.querySelectorAll('.source-row')].some(r => r.textContent.includes({}))",
                json!(name)
            ),
        )
        .await;
    }

    /// Scroll the screen back to its top (a form submitted low down leaves it scrolled).
    async fn top(&self) {
        let _ = self
            .c
            .execute(
                "document.scrollingElement && (document.scrollingElement.scrollTop = 0); document.querySelectorAll('.content, .workspace').forEach(e => e.scrollTop = 0); return true;",
                vec![],
            )
            .await;
    }

    /// Wait for the fonts, then save the web view as target/e2e-shots/NN-name.png.
    async fn shot(&mut self, name: &str) {
        let _ = self
            .c
            .execute_async(
                "const done = arguments[arguments.length - 1]; document.fonts.ready.then(() => requestAnimationFrame(() => done(true)));",
                vec![],
            )
            .await;
        self.n += 1;
        let png = self.c.screenshot().await.expect("screenshot");
        let path = self.shots.join(format!("{:02}-{name}.png", self.n));
        std::fs::write(&path, png).expect("write screenshot");
    }
}

/// Returns what is on show once the start screen can be read, `null` before: the UI says its data
/// is there (`data-ready`), and no font face of the page is still loading — a face with
/// `font-display: block` leaves its text invisible while it loads. The answer names the faces
/// loaded by then, with the number of ranges in each one's unicode-range (the interface face has
/// thousands; a face without a unicode-range, as before, one).
const READABLE_START: &str = r#"
  if (!document.querySelector("body[data-ready='true'] #open-sample")) return null;
  const faces = [...document.fonts];
  if (document.fonts.status !== 'loaded' || faces.some(f => f.status === 'loading')) return null;
  const loaded = faces.filter(f => f.status === 'loaded');
  if (loaded.length === 0) return null;
  return 'faces loaded: ' + loaded.map(f => f.family + ' [' + f.unicodeRange.split(',').length + ' ranges]').join(', ');
"#;

/// The status of the full GBK face of each family (`unloaded`, `loading`, `loaded`): it is the
/// face whose unicode-range holds the whole CJK block U+4E00–9FA5.
const FULL_FACE_STATUS: &str = r#"
  return [...document.fonts]
    .filter(f => f.unicodeRange.toUpperCase().replace(/\s/g, '').includes('U+4E00-9FA5'))
    .map(f => f.family + ': ' + f.status).sort().join('; ');
"#;

/// A project of `records` one-day records over 10 sources at 5 sites, as `bench_project` makes.
fn make_big_project(path: &Path, records: usize) {
    use lingtan::{BulkActivity, NewProject, Project, SourceEntry};
    let clock: lingtan::Clock = std::sync::Arc::new(|| NOW.to_string());
    let mut p = Project::create(
        path,
        &NewProject {
            org: "Big Group 大集团".into(),
            year: 2024,
            base_year: Some(2024),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    for i in 0..5 {
        p.add_site(&format!("Site {i}"), Some("CN-East"), None)
            .expect("site");
    }
    let mut sources = Vec::new();
    for i in 0..10 {
        let (kind, fuel, unit) = if i % 2 == 0 {
            ("electricity", None, "kWh")
        } else {
            (
                "stationary-combustion",
                Some("natural-gas".to_string()),
                "m3",
            )
        };
        let s = p
            .add_source(&SourceEntry {
                name: format!("Source {i:02}"),
                site: format!("Site {}", i % 5),
                kind: kind.into(),
                fuel,
                unit: Some(unit.into()),
                ..Default::default()
            })
            .expect("source");
        sources.push((s.id, s.unit.expect("unit")));
    }
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let rows: Vec<BulkActivity> = (0..records)
        .map(|n| {
            let (source_id, unit) = sources[n % sources.len()];
            let day = start + chrono::Duration::days(((n / sources.len()) % 366) as i64);
            BulkActivity {
                source_id,
                from: day,
                to: day,
                quantity: Decimal::new((n % 99_991 + 1) as i64, 2),
                unit,
                note: None,
                evidence_id: None,
                reason: None,
                origin_ref: Some(format!("generated!{}", n + 2)),
                detail: None,
            }
        })
        .collect();
    p.add_activity_batch("e2e", &rows).expect("records");
}

/// 20 meters × 35,040 quarter-hours of 2023 in long format: 700,800 readings.
fn write_meter_csv(path: &Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("csv"));
    writeln!(out, "时间,表计,电量(kWh)").expect("write");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("date");
    for i in 1..=35_040i64 {
        let t = start + chrono::Duration::minutes(15 * i);
        let stamp = t.format("%Y-%m-%d %H:%M");
        for m in 1..=20 {
            writeln!(
                out,
                "{stamp},M{m:02},{}.{:02}",
                10 + (i + m) % 7,
                (i * m) % 100
            )
            .expect("write");
        }
    }
    out.flush().expect("flush");
}

/// The app under Xvfb behind tauri-driver, with fresh settings folders under `work`.
struct Session {
    _xvfb: Proc,
    driver: Proc,
    display: String,
    home: PathBuf,
}

async fn launch(work: &Path, sample: Option<&Path>) -> (Session, Ui, Instant) {
    launch_app(
        work,
        sample,
        Path::new(env!("CARGO_BIN_EXE_lingtan-desktop")),
        NOW,
    )
    .await
}

/// `launch`, with another build of the app (`LINGTAN_E2E_APP`, for a before/after benchmark) or
/// another value of `LINGTAN_NOW`.
async fn launch_app(
    work: &Path,
    sample: Option<&Path>,
    app: &Path,
    now: &str,
) -> (Session, Ui, Instant) {
    let (xvfb, display) = start_xvfb();
    // fresh XDG folders: WebKit's storage and the app's settings must not leak between runs
    let home = work.join("xdg");
    std::fs::create_dir_all(&home).expect("xdg");
    let port = free_port();
    let native_port = free_port();
    let mut driver = Command::new("tauri-driver");
    if let Some(sample) = sample {
        driver.env("LINGTAN_SAMPLE", sample);
    }
    let driver = driver
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("DISPLAY", &display)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("LINGTAN_NOW", now)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("tauri-driver not found: cargo install tauri-driver --locked --version '^2' (make test does)");
    let driver = Proc {
        name: "tauri-driver",
        child: driver,
    };
    assert!(
        wait_port(port, Duration::from_secs(20)),
        "tauri-driver port"
    );
    assert!(
        wait_port(native_port, Duration::from_secs(20)),
        "WebKitWebDriver port"
    );

    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), json!("wry"));
    caps.insert(
        "tauri:options".into(),
        json!({ "application": app.to_str().expect("utf-8 path") }),
    );
    let t_launch = Instant::now();
    let client = tokio::time::timeout(
        CONNECT_TIMEOUT,
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}")),
    )
    .await
    .expect("timed out creating the WebDriver session (display? GTK?)")
    .expect("WebDriver session");
    eprintln!(
        "[e2e] baseline: WebDriver session (window and web view up): {} ms",
        t_launch.elapsed().as_millis()
    );
    let ui = Ui {
        c: client,
        shots: shots_dir(),
        n: 0,
    };
    (
        Session {
            _xvfb: xvfb,
            driver,
            display,
            home,
        },
        ui,
        t_launch,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_factory_manager_walks_from_the_start_screen_to_the_exported_report() {
    let t_test = Instant::now();
    let cli = lingtan_cli();
    // this run's pictures only (numbered in the order of the walk)
    if let Ok(old) = std::fs::read_dir(shots_dir()) {
        for f in old.flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            if name.len() > 3
                && name[..2].bytes().all(|b| b.is_ascii_digit())
                && name.ends_with(".png")
            {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
    let work = tempfile::tempdir().expect("tempdir");
    let work = work.path().to_path_buf();

    // the sample project, built by the same script `make run` uses
    let sample = work.join("sample.lingtan");
    let st = Command::new("bash")
        .arg(root().join("sample-data/make-sample.sh"))
        .arg(&cli)
        .arg(&sample)
        .env("LINGTAN_NOW", NOW)
        .status()
        .expect("make-sample.sh");
    assert!(st.success(), "make-sample.sh failed");

    let (mut session, mut ui, t_launch) = launch(&work, Some(&sample)).await;
    let home = session.home.clone();

    // ---- start screen: launch → interactive
    ui.el("body[data-ready='true'] #open-sample").await;
    let launch_ms = t_launch.elapsed().as_millis();
    eprintln!("[e2e] launch → interactive start screen: {launch_ms} ms");
    let fonts = ui.until("readable text", READABLE_START).await;
    let readable_ms = t_launch.elapsed().as_millis();
    eprintln!(
        "[e2e] launch → readable text: {readable_ms} ms ({})",
        fonts.as_str().unwrap_or("")
    );
    // the interface needs only the small face: the 7.5 MB GBK cut is not even fetched
    let full = ui.c.execute(FULL_FACE_STATUS, vec![]).await.expect("faces");
    assert_eq!(
        full,
        json!("Lingtan Sans SC: unloaded; Noto Sans SC: unloaded"),
        "the start screen needs no character outside the interface face"
    );
    // the app starts in Chinese (nothing remembered yet)
    assert_eq!(
        ui.c.execute("return document.documentElement.lang", vec![])
            .await
            .expect("lang"),
        json!("zh-CN"),
        "a factory manager walks from the start screen to the exported report"
    );
    ui.shot("start-zh").await;

    // the IPC goes through the ipc: protocol, not the postMessage fallback a CSP mistake causes
    let probe: Value = ui
        .c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               fetch(window.__TAURI_INTERNALS__.convertFileSrc('probe', 'ipc'), {method: 'POST', body: '{}'})
                 .then(r => done('reached:' + r.status), e => done('blocked:' + e));"#,
            vec![],
        )
        .await
        .expect("probe");
    assert!(
        probe.as_str().unwrap_or("").starts_with("reached:"),
        "CSP blocks ipc: {probe}"
    );
    // the page holds no plugin permission: dialogs are opened by our commands only
    let acl: Value =
        ui.c.execute_async(
            r#"const done = arguments[arguments.length - 1];
               window.__TAURI_INTERNALS__.invoke('plugin:dialog|open', { options: {} })
                 .then(r => done('ok:' + JSON.stringify(r)), e => done('err:' + e));"#,
            vec![],
        )
        .await
        .expect("acl probe");
    assert!(
        acl.as_str().unwrap_or("").contains("not allowed"),
        "the page may open dialogs itself: {acl}"
    );

    // ---- the sample factory: open → results
    let t_open = Instant::now();
    ui.click("#open-sample").await;
    ui.el("#screen-results #total-location[data-value]").await;
    let open_ms = t_open.elapsed().as_millis();
    eprintln!("[e2e] open sample → results: {open_ms} ms");
    let expected = inventory_json(&cli, &sample);
    let totals = &expected["totals"];
    for (css, key) in [
        ("#total-location", "total_location"),
        ("#total-market", "total_market"),
        ("#scope1", "scope1"),
        ("#scope2-location", "scope2_location"),
        ("#scope2-market", "scope2_market"),
        ("#scope3", "scope3"),
    ] {
        assert_eq!(
            ui.attr(css, "data-value").await.as_deref(),
            Some(t3(&totals[key]).as_str()),
            "{css} on screen vs lingtan inventory --json {key}"
        );
    }
    assert!(
        ui.text("#project-title").await.contains("安吉绿叶")
            || ui.text("#project-title").await.contains("Anji"),
        "a factory manager walks from the start screen to the exported report"
    );
    ui.until(
        "the charts",
        "return document.querySelectorAll('.chart svg text').length >= 30",
    )
    .await;
    ui.shot("sample-results-zh").await;
    // drill from scope 1 to its records and factors
    ui.click("#scope1").await;
    ui.el("#drill .drill-line").await;
    ui.el("#drill .drill-factor").await;
    ui.shot("sample-drill-scope1").await;
    ui.c.execute("document.querySelector('#drill-close')?.click()", vec![])
        .await
        .ok();
    // ---- the steps after the inventory: each a section of its own, opened from the top bar,
    // with its own left-hand navigation (the reduction and offset steps open on their readiness
    // screen; the certification step on its claim)
    let mut checks: Option<Option<String>> = None;
    for step in ["reduction", "offset"] {
        ui.click(&format!("#step-{step}")).await;
        ui.el(&format!(
            "body[data-ready='true'] #screen-{step}-readiness #readiness .check"
        ))
        .await;
        assert_eq!(
            ui.attr(&format!("#step-{step}"), "aria-current")
                .await
                .as_deref(),
            Some("step"),
            "the top bar marks the {step} step"
        );
        assert_eq!(
            ui.attr(&format!("#nav-{step}-readiness"), "aria-current")
                .await
                .as_deref(),
            Some("page"),
            "the {step} step opens on its readiness screen, marked in its own navigation"
        );
        let inventory_nav =
            ui.c.execute("return !!document.querySelector('#nav-records')", vec![])
                .await
                .expect("nav");
        assert_eq!(
            inventory_nav,
            json!(false),
            "the {step} step shows its own navigation, not the inventory's"
        );
        let of = ui.attr("#readiness", "data-of").await;
        if let Some(first) = &checks {
            assert_eq!(&of, first, "every step shows the same readiness checks");
        }
        checks = Some(of);
        ui.shot(&format!("sample-{step}-readiness")).await;
    }
    ui.click("#step-certification").await;
    ui.el("body[data-ready='true'] #screen-claim #claim-verdict")
        .await;
    assert_eq!(
        ui.attr("#nav-claim", "aria-current").await.as_deref(),
        Some("page"),
        "the certification step opens on its claim screen"
    );
    ui.shot("sample-certification-claim").await;
    // back to the inventory: it opens on the screen it showed last
    ui.click("#step-inventory").await;
    ui.el("body[data-ready='true'] #screen-results #total-location[data-value]")
        .await;
    // the sample's names, results, charts and checks need only the small face too
    let full = ui.c.execute(FULL_FACE_STATUS, vec![]).await.expect("faces");
    assert_eq!(
        full,
        json!("Lingtan Sans SC: unloaded; Noto Sans SC: unloaded"),
        "the sample factory needs no character outside the interface face"
    );
    ui.click("#nav-records").await;
    ui.el("#records-table .record-row").await;
    ui.shot("sample-records").await;
    ui.click("#nav-factors").await;
    ui.el("#screen-factors .factor-row").await;
    ui.shot("factor-library").await;
    ui.click("#close-project").await;
    ui.el("#screen-start").await;

    // ---- the sample again: a new copy under a new name; the first copy, which may hold the
    // person's changes, is kept (it was deleted and copied over before)
    ui.click("#open-sample").await;
    ui.el("#screen-results #total-location[data-value]").await;
    let samples = home.join("data/org.lingtan.desktop/samples");
    let mut copies: Vec<String> = std::fs::read_dir(&samples)
        .expect("the samples folder")
        .flatten()
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lingtan"))
        .collect();
    copies.sort();
    assert_eq!(
        copies,
        [
            "sample-20250315T090000-2.lingtan",
            "sample-20250315T090000.lingtan"
        ],
        "a second opening of the sample makes a second copy (same clock: a new name)"
    );
    ui.click("#close-project").await;
    ui.el("#screen-start").await;

    // ---- a file that is not a project is refused next to the path field, and left untouched
    let ledger = root().join("sample-data/excel/electricity-ledger-2024.xlsx");
    let ledger_bytes = std::fs::read(&ledger).expect("ledger");
    ui.fill("#project-path", ledger.to_str().expect("utf-8"))
        .await;
    ui.click("#open-path").await;
    let refusal = ui
        .until(
            "the refusal next to the path",
            "return document.querySelector('[data-error-for=\"path\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] open a workbook as a project: {refusal}");
    assert_eq!(
        std::fs::read(&ledger).expect("ledger"),
        ledger_bytes,
        "a factory manager walks from the start screen to the exported report"
    );
    ui.shot("open-refused").await;

    // ---- a new project: the wizard refuses an empty name, next to the field, writing nothing
    let project = work.join("plant-a.lingtan");
    ui.click("#new-project").await;
    ui.fill("#wiz-path", project.to_str().expect("utf-8 path"))
        .await;
    ui.fill("#wiz-org", "").await;
    ui.fill("#wiz-year", "2024").await;
    ui.click("#wiz-create").await;
    let err = ui
        .until(
            "the error next to the organisation field",
            "return document.querySelector('[data-error-for=\"org\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] empty organisation: {err}");
    assert!(!project.exists(), "a refused wizard must write nothing");
    ui.shot("wizard-error").await;
    ui.fill("#wiz-org", "Plant A 测试工厂").await;
    // 喆 is in GBK, not in GB2312: the interface face lacks it, the full cut has it. Typed into
    // the form, it makes the page fetch the full cut, which then draws it.
    let t_rare = Instant::now();
    ui.fill("#wiz-org-zh", "喆园测试工厂").await;
    ui.until(
        "the full GBK face, for 喆",
        "return [...document.fonts].some(f => f.family === 'Lingtan Sans SC' && f.unicodeRange.toUpperCase().replace(/\\s/g, '').includes('U+4E00-9FA5') && f.status === 'loaded') && document.fonts.check('14px \"Lingtan Sans SC\"', '喆')",
    )
    .await;
    eprintln!(
        "[e2e] a rare character typed (喆) → the full GBK face loaded: {} ms",
        t_rare.elapsed().as_millis()
    );
    ui.shot("wizard-rare-character").await;
    ui.fill("#wiz-base-year", "2024").await;
    ui.click("#wiz-create").await;
    ui.until(
        "the project title",
        &format!(
            "return document.querySelector('#project-title')?.textContent.includes({})",
            json!(project.to_str())
        ),
    )
    .await;
    assert!(project.is_file(), "the project file is created at once");
    assert!(
        ui.text("#project-title").await.contains("喆园测试工厂"),
        "the title bar shows the Chinese name"
    );

    // ---- a site and a source
    ui.click("#nav-sites").await;
    ui.fill("#site-name", "Plant A").await;
    ui.select("#site-grid", "CN-East").await;
    ui.fill("#site-address", "1 Example Road, Huzhou").await;
    ui.click("#site-add").await;
    ui.until(
        "the new site",
        "return [...document.querySelectorAll('.site-row')].some(r => r.textContent.includes('Plant A'))",
    )
    .await;
    ui.shot("sites").await;
    ui.click("#nav-sources").await;
    ui.add_electricity_source("Grid electricity", "Plant A")
        .await;
    ui.shot("sources").await;

    // ---- import the electricity ledger: preview (mapping, issues) → accept
    ui.click("#nav-import").await;
    ui.until(
        "the source in the import form",
        "return document.querySelector('#import-source option[value=\"Grid electricity\"]')",
    )
    .await;
    ui.select("#import-source", "Grid electricity").await;
    // a file that is not there: said next to the path, nothing written
    let head = inventory_json(&cli, &project)["audit_head"].clone();
    let missing = work.join("no-such-ledger.xlsx");
    ui.fill("#import-path", missing.to_str().expect("utf-8"))
        .await;
    ui.click("#import-preview").await;
    let refusal = ui
        .until(
            "the refusal next to the import path",
            "return document.querySelector('[data-error-for=\"path\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] import a missing file: {refusal}");
    assert_eq!(
        inventory_json(&cli, &project)["audit_head"],
        head,
        "a factory manager walks from the start screen to the exported report"
    );
    ui.fill("#import-path", ledger.to_str().expect("utf-8"))
        .await;
    ui.click("#import-preview").await;
    ui.el("#import-result[data-refused='false']").await;
    let accepted: u32 = ui
        .attr("#import-result", "data-accepted")
        .await
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    assert!(accepted > 0, "the preview finds the ledger's rows");
    // the ledger holds two meters, one sheet each: this source is the plant's meter
    ui.select("#import-sheet", "主厂区 3301512846071").await;
    ui.click("#import-preview").await;
    ui.until(
        "the preview of one sheet",
        "const r = document.querySelector('#import-result'); return r && r.dataset.refused === 'false' && document.querySelectorAll('#import-result .mapping').length === 1",
    )
    .await;
    ui.shot("import-preview").await;
    ui.click("#import-accept").await;
    ui.until(
        "the written batch",
        "const b = document.querySelector('#import-result')?.dataset.batch; return b && b !== 'null' && b !== '' ? b : null",
    )
    .await;
    ui.shot("import-accepted").await;

    // ---- correct a record: a reason is required (said next to the field), evidence attached
    ui.click("#nav-records").await;
    ui.click("#records-table .record-row").await;
    ui.el("#record-edit #rec-quantity").await;
    ui.fill("#rec-quantity", "99999").await;
    ui.fill("#rec-reason", "").await;
    ui.click("#rec-save").await;
    ui.until(
        "the error next to the reason",
        "return document.querySelector('[data-error-for=\"reason\"]')?.textContent.trim()",
    )
    .await;
    ui.shot("record-needs-reason").await;
    ui.fill("#rec-reason", "the bill was re-issued").await;
    ui.fill("#rec-evidence", ledger.to_str().expect("utf-8"))
        .await;
    ui.click("#rec-save").await;
    ui.until(
        "the corrected record",
        "return [...document.querySelectorAll('.record-row')].some(r => r.textContent.includes('v2') && r.textContent.includes('99,999'))",
    )
    .await;
    ui.shot("record-corrected").await;

    // ---- results equal `lingtan inventory --json` for the same file
    ui.click("#nav-results").await;
    ui.el("#total-location[data-value]").await;
    let expected = inventory_json(&cli, &project);
    for (css, key) in [
        ("#total-location", "total_location"),
        ("#total-market", "total_market"),
        ("#scope1", "scope1"),
        ("#scope2-location", "scope2_location"),
        ("#scope2-market", "scope2_market"),
        ("#scope3", "scope3"),
    ] {
        assert_eq!(
            ui.attr(css, "data-value").await.as_deref(),
            Some(t3(&expected["totals"][key]).as_str()),
            "{css} on screen vs lingtan inventory --json {key} (new project)"
        );
    }
    assert_ne!(
        t3(&expected["totals"]["total_location"]),
        "0.000",
        "a factory manager walks from the start screen to the exported report"
    );
    ui.shot("results-zh").await;

    // ---- switch language: every label changes at once, and the choice is remembered
    let nav_zh = ui.text("#nav-results").await;
    ui.click("#lang-toggle").await;
    ui.until("English", "return document.documentElement.lang === 'en'")
        .await;
    let nav_en = ui.text("#nav-results").await;
    assert_ne!(nav_zh, nav_en, "the navigation follows the language");
    ui.until(
        "the English chart titles",
        "return [...document.querySelectorAll('.chart')].some(c => c.textContent.includes('Emissions by source'))",
    )
    .await;
    ui.shot("results-en").await;
    ui.click("#scope2-location").await;
    ui.el("#drill .drill-line").await;
    ui.shot("drill-scope2-en").await;
    ui.c.execute("document.querySelector('#drill-close')?.click()", vec![])
        .await
        .ok();
    let settings = std::fs::read_to_string(home.join("config/org.lingtan.desktop/settings.json"))
        .unwrap_or_default();
    assert!(
        settings.contains("\"en\""),
        "language remembered: {settings}"
    );

    // ---- export the PDF and the workbook, then read them back
    let pdf = work.join("plant-a-2024.pdf");
    let xlsx = work.join("plant-a-2024.xlsx");
    ui.click("#nav-export").await;
    ui.select("#export-lang", "zh+en").await;
    ui.fill("#export-pdf-path", pdf.to_str().expect("utf-8"))
        .await;
    ui.fill("#export-xlsx-path", xlsx.to_str().expect("utf-8"))
        .await;
    ui.click("#export-run").await;
    ui.until(
        "the exported files",
        "return document.querySelectorAll('#export-result .export-file').length === 2",
    )
    .await;
    ui.shot("export").await;
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    let total = t3(&expected["totals"]["total_location"]);
    let (int, dec) = total.split_once('.').expect("decimal");
    let grouped = {
        let digits: Vec<char> = int.chars().collect();
        let mut s = String::new();
        for (i, ch) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                s.push(',');
            }
            s.push(*ch);
        }
        format!("{s}.{dec}")
    };
    assert!(
        text.contains(&grouped),
        "the PDF states the total {grouped} shown on screen"
    );
    assert!(
        text.contains("Plant A 测试工厂"),
        "the PDF names the organisation"
    );
    let book = std::fs::read(&xlsx).expect("the workbook is written");
    assert!(book.starts_with(b"PK"), "an .xlsx (zip)");

    // ---- the audit trail verifies
    ui.click("#nav-audit").await;
    ui.el("#screen-audit .audit-row").await;
    // every entry of this run was written with LINGTAN_NOW set: the log says so on each
    let marks: Value = ui
        .c
        .execute(
            "const rows = [...document.querySelectorAll('.audit-row')]; return [rows.length, rows.filter(r => r.querySelector('.audit-clock')?.textContent.includes('LINGTAN_NOW')).length];",
            vec![],
        )
        .await
        .expect("audit rows");
    assert!(
        marks[0].as_u64().unwrap_or(0) > 0 && marks[0] == marks[1],
        "every audit row shows that LINGTAN_NOW set its time: {marks}"
    );
    ui.click("#audit-verify").await;
    ui.el("#verify-result[data-ok='true']").await;
    ui.shot("audit").await;

    // ---- a 700,800-row meter export: progress, then cancel leaves the project unchanged
    let meters = work.join("meters-2023.csv");
    write_meter_csv(&meters);
    let head_before = inventory_json(&cli, &project)["audit_head"].clone();
    ui.click("#nav-sources").await;
    ui.add_electricity_source("Meters", "Plant A").await;
    let head_before_import = inventory_json(&cli, &project)["audit_head"].clone();
    assert_ne!(head_before, head_before_import, "adding a source is logged");
    ui.click("#nav-import").await;
    ui.until(
        "the meters source in the import form",
        "return document.querySelector('#import-source option[value=\"Meters\"]')",
    )
    .await;
    ui.select("#import-source", "Meters").await;
    ui.fill("#import-path", meters.to_str().expect("utf-8"))
        .await;
    ui.click("#import-preview").await;
    ui.el("#import-result[data-refused='false'][data-accepted='700800']")
        .await;
    ui.shot("import-preview-meters").await;
    ui.click("#import-accept").await;
    ui.el("#import-progress").await;
    ui.until(
        "rows counted",
        "return /[0-9]/.test(document.querySelector('#import-status')?.textContent ?? '')",
    )
    .await;
    ui.shot("import-progress").await;
    ui.click("#import-cancel").await;
    ui.el("#import-result[data-cancelled='true']").await;
    ui.shot("import-cancelled").await;
    let head_after = inventory_json(&cli, &project)["audit_head"].clone();
    assert_eq!(
        head_before_import, head_after,
        "a cancelled import leaves the project unchanged"
    );

    // ---- undo the ledger import, with a reason
    ui.click("#nav-import").await;
    ui.click(".batch-row .batch-undo").await;
    ui.fill("#undo-reason", "imported into the wrong project")
        .await;
    ui.click("#undo-confirm").await;
    ui.el(".batch-row[data-reverted='true']").await;
    ui.shot("import-undone").await;
    let after_undo = inventory_json(&cli, &project);
    assert_eq!(
        t3(&after_undo["totals"]["total_location"]),
        "0.000",
        "a factory manager walks from the start screen to the exported report"
    );

    // ---- 100,000 records: open → results, and the activity table scrolls without waiting
    let big = work.join("big.lingtan");
    let t_make = Instant::now();
    make_big_project(&big, 100_000);
    eprintln!(
        "[e2e] 100,000-record project made in {} ms",
        t_make.elapsed().as_millis()
    );
    ui.click("#close-project").await;
    ui.fill("#project-path", big.to_str().expect("utf-8")).await;
    let t_open_big = Instant::now();
    ui.click("#open-path").await;
    ui.el("#screen-results #total-location[data-value]").await;
    let open_big_ms = t_open_big.elapsed().as_millis();
    eprintln!("[e2e] open 100,000 records → results: {open_big_ms} ms");
    let t_cli = Instant::now();
    let expected = inventory_json(&cli, &big);
    eprintln!(
        "[e2e] baseline: lingtan inventory --json on the same 100,000 records, same build: {} ms",
        t_cli.elapsed().as_millis()
    );
    assert_eq!(
        ui.attr("#total-location", "data-value").await.as_deref(),
        Some(t3(&expected["totals"]["total_location"]).as_str()),
        "a factory manager walks from the start screen to the exported report"
    );
    ui.shot("big-results-en").await;
    ui.click("#nav-records").await;
    ui.el("#records-table[data-total='100000'] .record-row")
        .await;
    // jump through the table: each jump must show real rows (not placeholders) quickly, and the
    // page must keep answering while it fetches
    let mut worst_ms = 0u128;
    let mut sum_ms = 0u128;
    let jumps = [0.5f64, 0.99, 0.1, 0.75, 1.0, 0.33, 0.0, 0.66, 0.9, 0.2];
    for at in jumps {
        let t = Instant::now();
        ui.c.execute(
            "const s = document.querySelector('#records-table'); s.scrollTop = arguments[0] * (s.scrollHeight - s.clientHeight); s.dispatchEvent(new Event('scroll'));",
            vec![json!(at)],
        )
        .await
        .expect("scroll");
        ui.until(
            "rows at the new position",
            "const s = document.querySelector('#records-table'); const r = s.getBoundingClientRect(); const el = document.elementFromPoint(r.left + 40, r.top + r.height / 2); return !!(el && el.closest('.record-row'));",
        )
        .await;
        let ms = t.elapsed().as_millis();
        worst_ms = worst_ms.max(ms);
        sum_ms += ms;
    }
    eprintln!(
        "[e2e] 100,000-row table: {} jumps, mean {} ms, worst {worst_ms} ms until real rows show",
        jumps.len(),
        sum_ms / jumps.len() as u128
    );
    ui.shot("big-records-scrolled").await;
    ui.c.execute(
        "const s = document.querySelector('#records-table'); s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll'));",
        vec![],
    )
    .await
    .expect("scroll to the end");
    ui.el(".record-row[data-index='99999']").await;
    // switching language with 100,000 records: the labels change at once
    let t_lang = Instant::now();
    ui.click("#lang-toggle").await;
    ui.until(
        "Chinese",
        "return document.documentElement.lang === 'zh-CN'",
    )
    .await;
    let lang_ms = t_lang.elapsed().as_millis();
    ui.click("#nav-results").await;
    ui.until(
        "the Chinese chart titles",
        "return [...document.querySelectorAll('.chart')].some(c => c.textContent.includes('各排放源排放量'))",
    )
    .await;
    let lang_results_ms = t_lang.elapsed().as_millis();
    eprintln!("[e2e] language switch at 100,000 records: labels {lang_ms} ms, results redrawn {lang_results_ms} ms");
    ui.shot("big-results-zh").await;

    ui.c.close().await.expect("close the session");
    session.driver.terminate();
    drop(session);
    let shots_so_far = ui.n;

    // ---- an invalid LINGTAN_NOW is refused, as the command line refuses it, and nothing is
    // written (before, the sample's copy was written, named from it, and then refused)
    let bad = work.join("bad-clock");
    let app = Path::new(env!("CARGO_BIN_EXE_lingtan-desktop"));
    let (mut session, mut ui, _) = launch_app(&bad, Some(&sample), app, "tomorrow").await;
    ui.n = shots_so_far;
    ui.el("body[data-ready='true'] #open-sample").await;
    ui.click("#open-sample").await;
    let refusal = ui
        .until(
            "the refusal of the clock",
            "return [...document.querySelectorAll('#screen-start .banner')].map(b => b.textContent).join(' ')",
        )
        .await;
    eprintln!("[e2e] open the sample with LINGTAN_NOW=tomorrow: {refusal}");
    assert!(
        refusal.as_str().unwrap_or("").contains("LINGTAN_NOW"),
        "the refusal names the variable: {refusal}"
    );
    ui.shot("bad-clock-refused").await;
    let bad_project = bad.join("never.lingtan");
    ui.fill("#wiz-org", "Never").await;
    ui.fill("#wiz-path", bad_project.to_str().expect("utf-8"))
        .await;
    ui.click("#wiz-create").await;
    ui.until(
        "the refusal of the clock in the wizard",
        "return [...document.querySelectorAll('#screen-start .banner')].some(b => b.textContent.includes('LINGTAN_NOW') && b.closest('form'))",
    )
    .await;
    let mut written: Vec<String> = Vec::new();
    let mut dirs = vec![bad.clone()];
    while let Some(dir) = dirs.pop() {
        for f in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = f.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "lingtan") {
                written.push(path.display().to_string());
            }
        }
    }
    assert!(
        written.is_empty(),
        "no project file is written while the clock is refused: {written:?}"
    );
    ui.c.close().await.expect("close the session");
    session.driver.terminate();

    eprintln!(
        "[e2e] BENCH launch_to_start_ms={launch_ms} launch_to_readable_ms={readable_ms} open_to_results_ms={open_ms} total_s={:.1}",
        t_test.elapsed().as_secs_f32()
    );
}

/// Launch → readable text alone, for `bench/desktop.sh`: this build's app, or the build that
/// `LINGTAN_E2E_APP` names (an older one, for a before/after figure in the same run). Then the
/// time the full GBK face takes to load when a text needs it (the interface face is in the page
/// already; a build that loads the full cut for everything has no such face left to load).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: bench/desktop.sh runs it"]
async fn launch_to_readable_text() {
    let work = tempfile::tempdir().expect("tempdir");
    let app = std::env::var_os("LINGTAN_E2E_APP")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_lingtan-desktop")));
    let (mut session, ui, t_launch) = launch_app(work.path(), None, &app, NOW).await;
    ui.el("body[data-ready='true'] #open-sample").await;
    let start_ms = t_launch.elapsed().as_millis();
    let fonts = ui.until("readable text", READABLE_START).await;
    let readable_ms = t_launch.elapsed().as_millis();
    let full: Value = ui
        .c
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const f = [...document.fonts].find(f => f.family === 'Lingtan Sans SC' && f.status === 'unloaded');
               if (!f) { done(null); } else {
                 const t = performance.now();
                 f.load().then(() => done(Math.round(performance.now() - t)), e => done('failed: ' + e));
               }"#,
            vec![],
        )
        .await
        .expect("full face");
    eprintln!(
        "[e2e] launch → readable text: {readable_ms} ms (start screen {start_ms} ms; {}); then the full GBK face: {} ({})",
        fonts.as_str().unwrap_or(""),
        match &full {
            Value::Number(n) => format!("{n} ms"),
            Value::Null => "none left to load".to_string(),
            other => other.to_string(),
        },
        app.display()
    );
    let _ = ui.c.close().await;
    session.driver.terminate();
}

/// The native dialogs cannot be driven through WebDriver: this opens each one and saves a picture
/// of the whole virtual screen (`import -window root`, imagemagick) to look at. Run by hand:
/// `cargo test -p lingtan-desktop --test e2e -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "opens native dialogs for a person to look at; needs imagemagick"]
async fn native_dialogs_open_from_their_buttons() {
    let work = tempfile::tempdir().expect("tempdir");
    let (mut session, ui, _) = launch(work.path(), None).await;
    ui.el("body[data-ready='true'] #open-browse").await;
    let shots = shots_dir();
    for (button, name) in [
        ("#open-browse", "dialog-open-project"),
        ("#wiz-browse", "dialog-save-project"),
    ] {
        if button == "#wiz-browse" {
            ui.click("#new-project").await;
        }
        ui.click(button).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let file = shots.join(format!("{name}.png"));
        let st = Command::new("import")
            .args(["-window", "root"])
            .arg(&file)
            .env("DISPLAY", &session.display)
            .status()
            .expect("import (imagemagick)");
        assert!(st.success(), "import -window root");
        eprintln!("[e2e] {name}: {}", file.display());
        // close the dialog: Escape goes to the focused dialog window
        let _ = Command::new("xdotool")
            .args(["key", "Escape"])
            .env("DISPLAY", &session.display)
            .status();
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let _ = ui.c.close().await;
    session.driver.terminate();
}

/// A project of its own for the Reduction walk (not the sample's reduction data, which grows
/// on its own): one plant on the East China grid, grid power billed for the whole of 2023 (the
/// base year) and of 2024, less in 2024.
fn make_reduction_project(path: &Path) {
    let clock: lingtan::Clock = std::sync::Arc::new(|| NOW.to_string());
    let mut p = lingtan::Project::create(
        path,
        &lingtan::NewProject {
            org: "Reduction Works".into(),
            year: 2024,
            base_year: Some(2023),
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    p.add_site("Plant", Some("CN-East"), None).expect("site");
    p.add_source(&lingtan::SourceEntry {
        name: "Grid power".into(),
        site: "Plant".into(),
        kind: "electricity".into(),
        unit: Some("kWh".into()),
        ..Default::default()
    })
    .expect("source");
    for (year, qty) in [(2023, "100000"), (2024, "90000")] {
        p.add_activity(&lingtan::ActivityEntry {
            source: "Grid power".into(),
            from: format!("{year}-01-01"),
            to: format!("{year}-12-31"),
            qty: qty.into(),
            unit: "kWh".into(),
            ..Default::default()
        })
        .expect("record");
    }
}

/// The Reduction step, walked as the EHS manager does on a project of its own: record output,
/// set a target (a refusal first, next to its field), set the energy price, add a measure
/// through the form — its formula and result update as the inputs are typed, a bad input is
/// refused next to it before anything is saved — see it in the table and on the MACC, open it
/// from its bar, mark it done, and open Progress. Screenshots go to target/e2e-shots/reduction/.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sets_a_target_and_weighs_a_measure_in_the_reduction_step() {
    let work = tempfile::tempdir().expect("tempdir");
    let work = work.path().to_path_buf();
    let project = work.join("reduction.lingtan");
    make_reduction_project(&project);
    let (mut session, mut ui, _) = launch(&work, None).await;
    ui.shots = shots_dir().join("reduction");
    std::fs::create_dir_all(&ui.shots).expect("shots dir");
    if let Ok(old) = std::fs::read_dir(&ui.shots) {
        for f in old.flatten() {
            let _ = std::fs::remove_file(f.path());
        }
    }

    ui.el("body[data-ready='true'] #open-path").await;
    ui.fill("#project-path", project.to_str().expect("utf-8 path"))
        .await;
    ui.click("#open-path").await;
    ui.el("body[data-ready='true'] #step-reduction").await;

    // ---- the step opens on what it lacks: a target, measures
    ui.click("#step-reduction").await;
    ui.el("body[data-ready='true'] #reduction-checks .check[data-key='target'][data-ok='false']")
        .await;
    assert_eq!(
        ui.attr("#reduction-checks .check[data-key='measures']", "data-ok")
            .await
            .as_deref(),
        Some("false"),
        "a project without measures is told so"
    );
    ui.shot("readiness-empty").await;

    // ---- output, then a target: refused next to its field first, nothing written
    ui.click("#nav-targets").await;
    ui.el("body[data-ready='true'] #screen-targets #no-targets")
        .await;
    for (year, qty) in [("2023", "1000"), ("2024", "950")] {
        ui.fill("#output-metric", "product").await;
        ui.fill("#output-year", year).await;
        ui.fill("#output-quantity", qty).await;
        ui.fill("#output-unit", "t").await;
        ui.click("#output-add").await;
        ui.el(&format!(".output-row[data-year='{year}']")).await;
    }
    ui.fill("#target-name", "Cut 42").await;
    ui.fill("#target-base-year", "2023").await;
    // no ambition: the workbench's refusal cites the command line's flags; the window does not
    ui.click("#target-add").await;
    let refusal = ui
        .until(
            "the refusal next to the reduction",
            "return document.querySelector('[data-error-for=\"reduction\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] a target without its ambition: {refusal}");
    let text = refusal.as_str().unwrap_or("");
    assert!(
        !text.contains("--") && !text.contains('`'),
        "the desktop shows no command-line flag: {text}"
    );
    ui.fill("#target-target-year", "2020").await;
    ui.fill("#target-reduction", "42").await;
    ui.click("#target-add").await;
    let refusal = ui
        .until(
            "the refusal next to the target year",
            "return document.querySelector('[data-error-for=\"targetYear\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] a target year before the base year: {refusal}");
    assert!(
        !refusal.as_str().unwrap_or("").contains("--"),
        "the desktop shows no command-line flag: {refusal}"
    );
    ui.shot("target-refused").await;
    ui.fill("#target-target-year", "2030").await;
    ui.click("#target-add").await;
    ui.el("body[data-ready='true'] .target-row[data-name='Cut 42']")
        .await;
    ui.el("figure.trajectory[data-target='Cut 42'] .chart-svg svg")
        .await;
    assert_eq!(
        ui.c.execute(
            "return document.querySelectorAll('.target-row').length",
            vec![]
        )
        .await
        .expect("rows"),
        json!(1),
        "the refused target was not recorded"
    );
    ui.top().await;
    ui.shot("targets").await;

    // ---- the energy price, then a measure typed into the form
    ui.click("#nav-measures").await;
    ui.el("body[data-ready='true'] #screen-measures #measure-form")
        .await;
    ui.select("#price-source", "Grid power").await;
    ui.fill("#price-value", "0.7").await;
    ui.fill("#price-unit", "kWh").await;
    ui.click("#money-save").await;
    ui.el(".price-row[data-source='Grid power']").await;

    ui.select("#measure-kind", "led").await;
    ui.fill("#measure-name", "LED hall").await;
    ui.fill("#measure-capex", "30000").await;
    ui.fill("#measure-input-fixtures", "200").await;
    ui.fill("#measure-input-watts-old", "40").await;
    ui.fill("#measure-input-watts-new", "18").await;
    // more hours than a year has: refused next to the input, as recording it would be
    ui.fill("#measure-input-hours", "9000").await;
    let refused = ui
        .until(
            "the preview's refusal next to the hours",
            "return document.querySelector('#measure-preview[data-state=\"refused\"]') && document.querySelector('[data-error-for=\"hours\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] 9000 hours a year: {refused}");
    ui.shot("measure-preview-refused").await;
    ui.fill("#measure-input-hours", "3000").await;
    // 200 × (40 − 18) W × 3000 h = 13,200 kWh a year; × 0.7 CNY = 9,240 CNY
    let savings = ui
        .until(
            "the preview's savings",
            "return document.querySelector('#measure-preview[data-state=\"ok\"] #preview-savings')?.textContent.trim()",
        )
        .await;
    assert_eq!(
        savings,
        json!("9,240.00"),
        "the preview computes the savings with the price just set"
    );
    let formula = ui.text("#preview-formula").await;
    assert!(
        formula.contains("200") && formula.contains("40 W") && formula.contains("18 W"),
        "the formula shows the inputs typed: {formula}"
    );
    let preview_abatement = ui.text("#preview-abatement").await;
    ui.shot("measure-preview").await;
    assert!(
        lingtan::Project::open(&project, std::sync::Arc::new(|| NOW.to_string()))
            .expect("open")
            .measures()
            .expect("measures")
            .is_empty(),
        "the preview recorded nothing"
    );
    ui.click("#measure-save").await;
    ui.el("body[data-ready='true'] .measure-row[data-name='LED hall']")
        .await;
    let row = ui.text(".measure-row[data-name='LED hall']").await;
    assert!(
        row.contains(&preview_abatement),
        "the table shows the abatement the preview showed ({preview_abatement}): {row}"
    );
    // the same figure as the workbench computes on the file
    let report = lingtan::Project::open(&project, std::sync::Arc::new(|| NOW.to_string()))
        .expect("open")
        .reduction(None, None)
        .expect("reduction");
    let abatement = report.measures[0]
        .result
        .as_ref()
        .and_then(|r| r.abatement.as_ref())
        .map(|a| a.tco2e(report.basis))
        .expect("an abatement");
    assert_eq!(
        preview_abatement,
        format!(
            "{:.3}",
            abatement.round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
        ),
        "the screen shows the workbench's abatement"
    );
    // the form is empty again, and an empty form is refused nothing
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        ui.c.execute(
            "return [document.querySelector('#measure-preview').dataset.state, document.querySelectorAll('#measure-form [data-error-for]').length]",
            vec![]
        )
        .await
        .expect("form state"),
        json!(["empty", 0]),
        "a form with nothing typed shows no refusal"
    );
    ui.top().await;
    ui.shot("measures").await;

    // a second measure given as its change of a source, dearer per tonne: above the axis
    ui.select("#measure-kind", "other").await;
    ui.fill("#measure-name", "Compressor upgrade").await;
    ui.fill("#measure-changes", "Grid power=-5000 kWh").await;
    ui.fill("#measure-capex", "150000").await;
    ui.until(
        "the preview of the direct change",
        "return document.querySelector('#measure-preview[data-state=\"ok\"] #preview-mac')?.textContent.trim()",
    )
    .await;
    ui.click("#measure-save").await;
    ui.el("body[data-ready='true'] .measure-row[data-name='Compressor upgrade']")
        .await;

    // ---- the MACC: cheapest first, and a bar opens its measure
    ui.click("#nav-macc").await;
    ui.el("body[data-ready='true'] #macc-chart rect.macc-bar[data-measure='Compressor upgrade']")
        .await;
    let bars = ui
        .c
        .execute(
            "return [...document.querySelectorAll('#macc-chart rect.macc-bar')].map(r => r.dataset.measure)",
            vec![],
        )
        .await
        .expect("bars");
    assert_eq!(
        bars,
        json!(["LED hall", "Compressor upgrade"]),
        "the bars run from the cheapest per tonne to the dearest"
    );
    ui.el("body[data-ready='true'] #macc-chart rect.macc-bar[data-measure='LED hall']")
        .await;
    ui.shot("macc").await;
    ui.click("#macc-chart rect.macc-bar[data-measure='LED hall']")
        .await;
    ui.el("body[data-ready='true'] #screen-measures .measure-row.selected[data-name='LED hall']")
        .await;
    let heading = ui.text("#measure-form h3").await;
    assert!(
        heading.contains("LED hall"),
        "a click on the bar opens its measure in the form: {heading}"
    );
    ui.select("#measure-status", "done").await;
    ui.fill("#measure-start", "2024-01").await;
    ui.fill("#measure-reason", "installed in January").await;
    ui.click("#measure-save").await;
    ui.el("body[data-ready='true'] .measure-row[data-name='LED hall'] .status-done")
        .await;

    // ---- progress: achieved against planned, what changed and why
    ui.click("#nav-progress").await;
    ui.el("body[data-ready='true'] #progress-table .progress-row[data-name='LED hall']")
        .await;
    ui.el("#waterfall-chart svg").await;
    let achieved = ui
        .text(".progress-row[data-name='LED hall'] .achieved")
        .await;
    eprintln!("[e2e] LED hall achieved in 2024: {achieved}");
    ui.shot("progress").await;

    // ---- the same figures on the location basis: the picker reloads the screen
    ui.click("#nav-targets").await;
    ui.el("body[data-ready='true'] .target-row[data-name='Cut 42']")
        .await;
    ui.select("#reduction-basis", "location").await;
    ui.until(
        "the targets on the location basis",
        "return document.querySelector('#screen-targets .screen-head .muted')?.textContent.includes('基于位置')",
    )
    .await;
    ui.el("#screen-targets .target-row[data-name='Cut 42']")
        .await;
    ui.top().await;
    ui.shot("targets-location").await;
    ui.select("#reduction-basis", "market").await;

    // ---- ready now; and the step in English
    ui.click("#nav-reduction-readiness").await;
    ui.el("body[data-ready='true'] #reduction-checks").await;
    assert_eq!(
        ui.attr("#reduction-checks", "data-ready").await,
        ui.attr("#reduction-checks", "data-of").await,
        "a target, a priced measure and no intensity target: nothing is missing"
    );
    ui.shot("readiness-done").await;
    ui.click("#lang-toggle").await;
    ui.click("#nav-macc").await;
    ui.el("body[data-ready='true'] #macc-chart rect.macc-bar")
        .await;
    ui.shot("macc-en").await;
    ui.click("#nav-measures").await;
    ui.el("body[data-ready='true'] #measures-table .measure-row")
        .await;
    ui.shot("measures-en").await;

    let _ = ui.c.close().await;
    session.driver.terminate();
}

/// The clock of the Offset walk: the spring after the 2025 claim year, when certificates and
/// credits are retired for it.
const OFFSET_NOW: &str = "2026-03-15T09:00:00Z";
const OFFSET_VERRA: &str =
    "19380-941382555-941382741-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0";

/// A project of its own for the Offset walk (not the sample's offset data, which grows on its
/// own): one plant on the East China grid, 1,200,000 kWh of grid power in 2025, no certificate,
/// no credit.
fn make_offset_project(path: &Path) {
    let clock: lingtan::Clock = std::sync::Arc::new(|| OFFSET_NOW.to_string());
    let mut p = lingtan::Project::create(
        path,
        &lingtan::NewProject {
            org: "Offset Works".into(),
            year: 2025,
            ..Default::default()
        },
        clock,
    )
    .expect("create");
    p.add_site("Plant", Some("CN-East"), None).expect("site");
    p.add_source(&lingtan::SourceEntry {
        name: "Grid power".into(),
        site: "Plant".into(),
        kind: "electricity".into(),
        unit: Some("kWh".into()),
        ..Default::default()
    })
    .expect("source");
    p.add_activity(&lingtan::ActivityEntry {
        source: "Grid power".into(),
        from: "2025-01-01".into(),
        to: "2025-12-31".into(),
        qty: "1200000".into(),
        unit: "kWh".into(),
        ..Default::default()
    })
    .expect("record");
}

/// The Offset step, walked on a project of its own: the step opens on what it lacks; a GEC is
/// recorded (held: its ✗ check shows and it is not counted), retired with its statement, and the
/// market-based scope 2 falls on Coverage by what the workbench computes; a Verra serial pasted
/// into the credit form is read into its fields before anything is saved, a broken one is shown
/// where it breaks; the block is saved; an overlapping serial is refused next to the serial,
/// naming the first block; part of the block is retired and both parts are listed; Coverage
/// counts the retired part. Screenshots go to target/e2e-shots/offset/.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_retires_certificates_and_credits_in_the_offset_step() {
    let work = tempfile::tempdir().expect("tempdir");
    let work = work.path().to_path_buf();
    let project = work.join("offset.lingtan");
    make_offset_project(&project);
    let statement = work.join("gec-retirement-statement.txt");
    std::fs::write(&statement, "GEC retirement statement (test)\n").expect("statement");
    let open = || {
        lingtan::Project::open(&project, std::sync::Arc::new(|| OFFSET_NOW.to_string()))
            .expect("open")
    };
    let (mut session, mut ui, _) = launch_app(
        &work,
        None,
        Path::new(env!("CARGO_BIN_EXE_lingtan-desktop")),
        OFFSET_NOW,
    )
    .await;
    ui.shots = shots_dir().join("offset");
    std::fs::create_dir_all(&ui.shots).expect("shots dir");
    if let Ok(old) = std::fs::read_dir(&ui.shots) {
        for f in old.flatten() {
            let _ = std::fs::remove_file(f.path());
        }
    }

    ui.el("body[data-ready='true'] #open-path").await;
    ui.fill("#project-path", project.to_str().expect("utf-8 path"))
        .await;
    ui.click("#open-path").await;
    ui.el("body[data-ready='true'] #step-offset").await;

    // ---- the step opens on what it lacks
    ui.click("#step-offset").await;
    ui.el(
        "body[data-ready='true'] #offset-checks .check[data-key='certificates'][data-ok='false']",
    )
    .await;
    assert_eq!(
        ui.attr("#offset-checks .check[data-key='credits']", "data-ok")
            .await
            .as_deref(),
        Some("false"),
        "a project without retired credits is told so"
    );
    ui.shot("readiness-empty").await;

    // ---- Coverage before any certificate
    ui.click("#nav-coverage").await;
    ui.el("body[data-ready='true'] #screen-coverage #cov-scope2-market .num")
        .await;
    let before = ui.text("#cov-scope2-market .num").await;
    assert_eq!(
        ui.text("#cov-scope2-before .num").await,
        before,
        "without certificates the market-based scope 2 is what it was"
    );
    ui.shot("coverage-before").await;

    // ---- a certificate: a refusal next to its field first, then recorded held
    ui.click("#nav-certificates").await;
    ui.el("body[data-ready='true'] #screen-certificates #no-eacs")
        .await;
    ui.select("#eac-type", "gec").await;
    ui.fill("#eac-id", "GEC-E2E-0001").await;
    ui.fill("#eac-mwh", "two hundred").await;
    ui.fill("#eac-from", "2025-01").await;
    ui.fill("#eac-to", "2025-06").await;
    ui.select("#eac-technology", "wind").await;
    ui.click("#eac-add").await;
    let refusal = ui
        .until(
            "the refusal next to the MWh",
            "return document.querySelector('[data-error-for=\"mwh\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] MWh 'two hundred': {refusal}");
    assert!(
        !refusal.as_str().unwrap_or("").contains("--"),
        "the desktop shows no command-line flag: {refusal}"
    );
    assert!(
        open().eacs(None).expect("eacs").is_empty(),
        "the refused certificate was not recorded"
    );
    ui.fill("#eac-mwh", "200").await;
    ui.click("#eac-add").await;
    let held = ".eac-row[data-id='GEC-E2E-0001'][data-status='held']";
    ui.el(&format!("body[data-ready='true'] {held}")).await;
    assert_eq!(
        ui.attr(held, "data-excluded").await.as_deref(),
        Some("true"),
        "a held certificate is not counted"
    );
    ui.el(&format!("{held} .offset-check[data-excludes='true']"))
        .await;
    ui.top().await;
    ui.shot("certificate-held").await;

    // ---- retire it for the organisation, with its statement
    ui.click(&format!("{held} .retire")).await;
    ui.el("#eac-act-form[data-what='retire']").await;
    assert_eq!(
        ui.c.execute(
            "return document.querySelector('#eac-retire-beneficiary').value",
            vec![]
        )
        .await
        .expect("beneficiary"),
        json!("Offset Works"),
        "the beneficiary is the organisation by default"
    );
    ui.fill("#eac-retire-date", "2026-01-10").await;
    ui.fill(
        "#eac-retire-evidence",
        statement.to_str().expect("utf-8 path"),
    )
    .await;
    ui.click("#eac-act-save").await;
    let retired = ".eac-row[data-id='GEC-E2E-0001'][data-status='retired']";
    ui.el(&format!("body[data-ready='true'] {retired}")).await;
    assert_eq!(
        ui.attr(retired, "data-excluded").await.as_deref(),
        Some("false"),
        "retired for the organisation, in the year: counted"
    );
    // a second one, recorded as retired for another company: listed, visibly not counted
    ui.fill("#eac-id", "GEC-E2E-0002").await;
    ui.fill("#eac-mwh", "50").await;
    ui.fill("#eac-retired", "2026-01-12").await;
    ui.fill("#eac-beneficiary", "Another Company").await;
    ui.click("#eac-add").await;
    let other = ".eac-row[data-id='GEC-E2E-0002'][data-status='retired']";
    ui.el(&format!("body[data-ready='true'] {other}.excluded-row"))
        .await;
    ui.el(&format!("{other} .excluded-badge")).await;
    ui.el(&format!("{other} .offset-check[data-excludes='true']"))
        .await;
    ui.top().await;
    ui.shot("certificate-retired").await;

    // ---- Coverage: the market-based scope 2 falls, by what the workbench computes
    ui.click("#nav-coverage").await;
    let after = ui
        .until(
            "the market-based scope 2 after the certificate",
            &format!(
                "const t = document.querySelector('body[data-ready=\"true\"] #cov-scope2-market .num')?.textContent.trim(); return t && t !== {} ? t : null",
                json!(before)
            ),
        )
        .await;
    let report = open().offset(None, None).expect("offset");
    let expected = format!(
        "{:.3}",
        report
            .summary
            .scope2_market_tco2e
            .round_dp_with_strategy(3, RoundingStrategy::MidpointNearestEven)
    );
    let plain = |s: &str| s.replace([',', ' ', '\u{202f}'], "");
    assert_eq!(
        plain(after.as_str().unwrap_or("")),
        expected,
        "the screen shows the workbench's market-based scope 2 after the certificate"
    );
    assert!(
        report.summary.scope2_market_tco2e < report.summary.scope2_market_before_eac_tco2e,
        "the certificate lowered the market-based scope 2"
    );
    assert_eq!(
        report.summary.eac.mwh_retired,
        rust_decimal::Decimal::from(200),
        "only the certificate retired for the organisation counts, not the other company's 50 MWh"
    );
    assert_eq!(
        plain(&ui.text("#cov-scope2-before .num").await),
        plain(&before),
        "the figure before certificates is what it was"
    );
    ui.el("#coverage-chart svg").await;
    ui.shot("coverage-after-certificate").await;

    // ---- a pasted Verra serial, read before anything is saved
    ui.click("#nav-credits").await;
    ui.el("body[data-ready='true'] #screen-credits #no-credits")
        .await;
    ui.select("#credit-registry", "verra").await;
    ui.fill("#credit-serial", OFFSET_VERRA).await;
    let qty = ui
        .until(
            "the serial read",
            "return document.querySelector('#serial-preview[data-state=\"ok\"] #serial-quantity')?.textContent.trim()",
        )
        .await;
    assert_eq!(qty, json!("187"), "941382741 − 941382555 + 1 units");
    assert_eq!(ui.text("#serial-first").await, "941382555", "first unit");
    assert_eq!(ui.text("#serial-last").await, "941382741", "last unit");
    assert_eq!(ui.text("#serial-project").await, "3005", "the project id");
    assert_eq!(ui.text("#serial-country").await, "CN", "the country");
    ui.top().await;
    ui.shot("serial-read").await;
    assert!(
        open().credits().expect("credits").is_empty(),
        "reading a serial saves nothing"
    );
    // the serial OFFSET.md says must be refused: shown where it breaks
    ui.fill(
        "#credit-serial",
        "15312-681393912-681394011-VCS-VCU-208-VER-CA-3-929-01012018-31122018-O",
    )
    .await;
    let broken = ui
        .until(
            "the broken serial's refusal",
            "return document.querySelector('#serial-preview[data-state=\"refused\"] #serial-refusal')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] a broken Verra serial: {broken}");
    ui.el("#serial-caret .at").await;
    ui.shot("serial-refused").await;

    // ---- saved; then an overlapping serial is refused, naming the first block
    ui.fill("#credit-serial", OFFSET_VERRA).await;
    ui.until(
        "the serial read again",
        "return document.querySelector('#serial-preview[data-state=\"ok\"] #serial-quantity')",
    )
    .await;
    ui.click("#credit-save").await;
    ui.el("body[data-ready='true'] .credit-row[data-status='held'][data-quantity='187']")
        .await;
    let block = ui
        .attr(".credit-row[data-quantity='187']", "data-id")
        .await
        .expect("the block's number");
    ui.fill(
        "#credit-serial",
        "19380-941382700-941382800-VCS-VCU-1310-VER-CN-13-3005-01012022-31102022-0",
    )
    .await;
    ui.until(
        "the overlapping serial read (it parses: the overlap is the ledger's)",
        "return document.querySelector('#serial-preview[data-state=\"ok\"] #serial-quantity')?.textContent.trim() === '101'",
    )
    .await;
    ui.click("#credit-save").await;
    let overlap = ui
        .until(
            "the overlap refusal next to the serial",
            "return document.querySelector('[data-error-for=\"serial\"]')?.textContent.trim()",
        )
        .await;
    let overlap = overlap.as_str().unwrap_or("").to_string();
    eprintln!("[e2e] an overlapping serial: {overlap}");
    assert!(
        overlap.contains(&format!("#{block}")) || overlap.contains("941382555"),
        "the refusal names the block already recorded (#{block}): {overlap}"
    );
    assert!(!overlap.contains("--"), "no flag: {overlap}");
    assert_eq!(
        open().credits().expect("credits").len(),
        1,
        "the overlapping block was not recorded"
    );
    ui.shot("serial-overlap-refused").await;

    // ---- retire part of the block: both parts listed
    ui.click(&format!(".credit-row[data-id='{block}'] .retire"))
        .await;
    ui.el("#credit-act-form[data-what='retire']").await;
    ui.fill("#credit-retire-qty", "100").await;
    ui.fill("#credit-retire-date", "2026-02-01").await;
    ui.fill("#credit-retire-year", "2025").await;
    ui.click("#credit-act-save").await;
    ui.el(&format!(
        "body[data-ready='true'] .credit-row[data-status='retired'][data-quantity='100'][data-parent='{block}']"
    ))
    .await;
    ui.el(&format!(
        ".credit-row[data-status='held'][data-quantity='87'][data-parent='{block}']"
    ))
    .await;
    let parts = ui
        .c
        .execute(
            "return [...document.querySelectorAll('.credit-row')].map(r => [r.dataset.status, r.dataset.first, r.dataset.last])",
            vec![],
        )
        .await
        .expect("parts");
    assert_eq!(
        parts,
        json!([
            ["retired", "941382555", "941382654"],
            ["held", "941382655", "941382741"]
        ]),
        "the retired part is the block's first 100 units, the rest stays held"
    );
    ui.top().await;
    ui.shot("credits-partly-retired").await;

    // ---- Coverage counts the retired part
    ui.click("#nav-coverage").await;
    let counted = ui
        .until(
            "the credits counted",
            "return document.querySelector('body[data-ready=\"true\"] #cov-credits .num')?.textContent.trim()",
        )
        .await;
    assert_eq!(counted, json!("100.000"), "the 100 t retired for 2025");
    ui.el("#shares-table .figure-row[data-key='coverage_pct'] .formula")
        .await;
    ui.shot("coverage").await;

    ui.click("#nav-offset-readiness").await;
    ui.el("body[data-ready='true'] #offset-checks .check[data-key='credits'][data-ok='true']")
        .await;
    assert_eq!(
        ui.attr("#offset-checks .check[data-key='certificates']", "data-ok")
            .await
            .as_deref(),
        Some("true"),
        "a retired certificate counts now"
    );
    ui.shot("readiness").await;

    // ---- the step in English
    ui.click("#lang-toggle").await;
    ui.click("#nav-coverage").await;
    ui.el("body[data-ready='true'] #coverage-chart svg").await;
    ui.shot("coverage-en").await;
    ui.click("#nav-credits").await;
    ui.el("body[data-ready='true'] .credit-row").await;
    ui.shot("credits-en").await;
    ui.click("#nav-certificates").await;
    ui.el("body[data-ready='true'] .eac-row").await;
    ui.shot("certificates-en").await;

    let _ = ui.c.close().await;
    session.driver.terminate();
}

/// The clock of the Certification walk: the spring after the 2025 claim period.
const CLAIM_NOW: &str = "2026-03-15T09:00:00Z";

/// A project of its own for the Certification walk (not the sample's claim data), made with the
/// `lingtan` command as a user would: one plant on the East China grid, grid power billed month by
/// month in 2024 (the base year, 100,000 kWh a month) and 2025 (90,000), each bill with its
/// ledger; a target and a measure; 1,000 t of credits retired for 2025. Everything a PAS 2060
/// claim of 2025 needs except the claim settings (statement date, validation, plan review).
fn make_claim_project(cli: &Path, work: &Path) -> PathBuf {
    let project = work.join("claim.lingtan");
    let ledger = work.join("ledger-2025.csv");
    std::fs::write(&ledger, "month,kWh\n(test ledger)\n").expect("ledger");
    let statement = work.join("credit-retirement.txt");
    std::fs::write(&statement, "credit retirement statement (test)\n").expect("statement");
    let p = project.to_str().expect("utf-8 path").to_string();
    let run = |args: &[&str]| {
        let out = Command::new(cli)
            .args(args)
            .env("LINGTAN_NOW", CLAIM_NOW)
            .output()
            .expect("lingtan");
        assert!(
            out.status.success(),
            "lingtan {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "new",
        &p,
        "--org",
        "Claim Works",
        "--year",
        "2025",
        "--base-year",
        "2024",
    ]);
    run(&["site", "add", &p, "Plant", "--grid", "CN-East"]);
    run(&[
        "source",
        "add",
        &p,
        "Grid power",
        "--site",
        "Plant",
        "--kind",
        "electricity",
        "--unit",
        "kWh",
    ]);
    let ledger = ledger.to_str().expect("utf-8 path");
    for (year, qty) in [(2024, "100000"), (2025, "90000")] {
        for month in 1..=12u32 {
            let first = chrono::NaiveDate::from_ymd_opt(year, month, 1).expect("month");
            let last = first
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .expect("last day");
            run(&[
                "activity",
                "add",
                &p,
                "--source",
                "Grid power",
                "--from",
                &first.to_string(),
                "--to",
                &last.to_string(),
                "--qty",
                qty,
                "--unit",
                "kWh",
                "--evidence",
                ledger,
            ]);
        }
    }
    run(&[
        "target",
        "add",
        &p,
        "Scope 1+2 -42 % by 2030",
        "--scopes",
        "1+2",
        "--base-year",
        "2024",
        "--target-year",
        "2030",
        "--reduction",
        "42",
    ]);
    run(&[
        "measure",
        "add",
        &p,
        "LED retrofit",
        "--kind",
        "led",
        "--fixtures",
        "100",
        "--watts-old",
        "150",
        "--watts-new",
        "60",
        "--hours",
        "4000",
        "--capex",
        "50000",
        "--status",
        "done",
        "--start",
        "2025-03",
        "--electricity-source",
        "Grid power",
    ]);
    run(&[
        "credit",
        "add",
        &p,
        "--registry",
        "ccer",
        "--serial",
        "CCER-E2E-FICTIONAL-2024-000001",
        "--qty",
        "1000",
        "--project",
        "Fictional forest",
        "--type",
        "removal",
        "--vintage",
        "2024",
        "--country",
        "CN",
    ]);
    run(&[
        "credit",
        "retire",
        &p,
        "1",
        "--date",
        "2026-02-10",
        "--beneficiary",
        "Claim Works",
        "--for-year",
        "2025",
        "--reason",
        "2025 residual emissions",
        "--evidence",
        statement.to_str().expect("utf-8 path"),
    ]);
    project
}

/// The documents' QES cites its clauses in the screen's language (`clause`, e.g. `第 5 章`):
/// assert it, scroll its table into view and save the screenshot `name`.
async fn qes_shot(ui: &mut Ui, doc: &str, clause: &str, name: &str) {
    assert!(
        doc.contains(clause),
        "the QES's clauses in the screen's language ({clause}): {}",
        &doc[..doc.len().min(400)]
    );
    ui.c.execute(
        "const t = [...document.querySelectorAll('#doc-text table.doc-table')].find(x => /QES|要素|Element/.test(x.querySelector('th')?.textContent ?? '')); (t ?? document.querySelector('#doc-text table.doc-table')).scrollIntoView({block: 'start'})",
        vec![],
    )
    .await
    .ok();
    ui.shot(name).await;
}

/// The Certification step, walked on a project of its own: the PAS 2060 claim of 2025 fails for
/// want of its settings (statement date, validation, plan review) and says so check by check;
/// a failing check opens the Settings screen; the documents are a DRAFT naming why; a statement
/// date in the future is refused next to its field and changes nothing; the settings filled, the
/// claim is ready and the documents are no draft; the dossier is exported to a folder, its root
/// hash and file count shown are the manifest's, and Verify finds it whole (as the workbench's
/// verify does); a file changed in the folder is named by Verify. Screenshots go to
/// target/e2e-shots/certification/.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_walks_a_failing_claim_to_a_verified_dossier_in_the_certification_step() {
    let work = tempfile::tempdir().expect("tempdir");
    let work = work.path().to_path_buf();
    let cli = lingtan_cli();
    let project = make_claim_project(&cli, &work);
    let (mut session, mut ui, _) = launch_app(
        &work,
        None,
        Path::new(env!("CARGO_BIN_EXE_lingtan-desktop")),
        CLAIM_NOW,
    )
    .await;
    ui.shots = shots_dir().join("certification");
    std::fs::create_dir_all(&ui.shots).expect("shots dir");
    if let Ok(old) = std::fs::read_dir(&ui.shots) {
        for f in old.flatten() {
            let _ = std::fs::remove_file(f.path());
        }
    }
    ui.el("body[data-ready='true'] #open-path").await;
    ui.fill("#project-path", project.to_str().expect("utf-8 path"))
        .await;
    ui.click("#open-path").await;
    ui.el("body[data-ready='true'] #step-certification").await;

    // ---- the claim: PAS 2060 for 2025 (the project's year) fails for want of its settings
    ui.click("#step-certification").await;
    ui.el("body[data-ready='true'] #screen-claim #claim-verdict")
        .await;
    ui.select("#claim-framework", "pas2060").await;
    ui.until(
        "the PAS 2060 claim",
        "return document.querySelector('#claim-verdict')?.dataset.framework === 'pas2060'",
    )
    .await;
    assert_eq!(
        ui.attr("#claim-verdict", "data-ready").await.as_deref(),
        Some("false"),
        "a claim without statement date, validation and plan review is not ready"
    );
    let failing = ui
        .c
        .execute(
            "return [...document.querySelectorAll('.claim-check[data-status=\"fail\"]')].map(c => c.dataset.code)",
            vec![],
        )
        .await
        .expect("failing checks");
    for code in [
        "CLAIM_STATEMENT_DATE",
        "CLAIM_VALIDATION_STATED",
        "CLAIM_PLAN_REVIEWED",
    ] {
        assert!(
            failing.as_array().is_some_and(|a| a.contains(&json!(code))),
            "{code} fails without its setting: {failing}"
        );
    }
    let subject = ui.text("#claim-subject .num").await;
    // the PAS 2060 claim for 2025 as the command line gives it
    let claim_now = |project: &Path| {
        let out = Command::new(&cli)
            .args([
                "claim",
                project.to_str().expect("utf-8"),
                "--framework",
                "pas2060",
                "--year",
                "2025",
                "--json",
            ])
            .env("LINGTAN_NOW", CLAIM_NOW)
            .output()
            .expect("lingtan claim");
        serde_json::from_slice::<Value>(&out.stdout).expect("claim json")
    };
    let cli_claim = claim_now(&project);
    assert_eq!(
        subject.replace(',', ""),
        t3(&cli_claim["subject_tco2e"]),
        "the subject's emissions on screen are the workbench's"
    );
    ui.shot("claim-failing").await;

    // ---- the documents: a DRAFT, naming the failing checks
    ui.click("#nav-claim-documents").await;
    ui.el("body[data-ready='true'] #screen-claim-documents #doc-text")
        .await;
    assert_eq!(
        ui.attr("#doc-state", "data-draft").await.as_deref(),
        Some("true"),
        "a failing claim's documents are a draft"
    );
    let reasons = ui.text("#draft-reasons").await;
    assert!(!reasons.trim().is_empty(), "the draft says why: {reasons}");
    let doc = ui.text("#doc-text").await;
    assert!(
        doc.contains("DRAFT") || doc.contains("草稿"),
        "the documents' text is marked as a draft: {}",
        &doc[..doc.len().min(400)]
    );
    ui.shot("documents-draft").await;

    // ---- a failing check opens what it concerns: the statement date, on the Settings screen
    ui.click("#nav-claim").await;
    ui.el("body[data-ready='true'] #screen-claim #claim-verdict")
        .await;
    ui.click(".claim-check[data-code='CLAIM_STATEMENT_DATE'] .place[data-kind='setting']")
        .await;
    ui.el("body[data-ready='true'] #screen-claim-settings #cs-statement-date")
        .await;
    assert_eq!(
        ui.c.execute(
            "return document.querySelector('#claim-framework').value",
            vec![]
        )
        .await
        .expect("framework"),
        json!("pas2060"),
        "the settings are those of the claim's framework"
    );

    // ---- a statement date in the future: refused next to its field, nothing changed
    ui.fill("#cs-statement-date", "2027-01-01").await;
    ui.click("#cs-save").await;
    let refusal = ui
        .until(
            "the refusal next to the statement date",
            "return document.querySelector('[data-error-for=\"statementDate\"]')?.textContent.trim()",
        )
        .await;
    eprintln!("[e2e] statement date 2027-01-01: {refusal}");
    assert!(
        !refusal.as_str().unwrap_or("").contains("--"),
        "the desktop shows no command-line flag: {refusal}"
    );
    let show = |project: &Path| {
        let out = Command::new(&cli)
            .args([
                "claim",
                "show",
                project.to_str().expect("utf-8"),
                "--framework",
                "pas2060",
                "--json",
            ])
            .output()
            .expect("claim show");
        serde_json::from_slice::<Value>(&out.stdout).expect("show json")
    };
    assert_eq!(
        show(&project)["statement_date"],
        Value::Null,
        "a refused statement date changes nothing in the project file"
    );
    ui.shot("settings-refused").await;

    // ---- the settings filled: the claim is ready
    ui.fill("#cs-statement-date", "2026-03-10").await;
    ui.select("#cs-verification", "third-party").await;
    ui.fill("#cs-verifier", "Fictional Verification Co. (test)")
        .await;
    ui.fill("#cs-senior", "Li Wei, General Manager").await;
    ui.fill("#cs-plan-reviewed", "2026-03-01").await;
    // what the QES states beyond the data: without them the documents stay a draft
    ui.fill("#cs-commitment-year", "2025").await;
    ui.fill("#cs-subject", "Claim Works, its plant (scopes 1 and 2)")
        .await;
    ui.fill("#cs-subject-rationale", "the whole legal entity")
        .await;
    ui.fill("#cs-activities", "making furniture parts").await;
    ui.fill("#cs-published-at", "https://example.org/claim (test)")
        .await;
    ui.click("#cs-save").await;
    ui.el("#cs-saved").await;
    let stored = show(&project);
    assert_eq!(
        stored["statement_date"],
        json!("2026-03-10"),
        "stored: {stored}"
    );
    assert_eq!(
        stored["verification"],
        json!("third-party"),
        "stored: {stored}"
    );
    ui.shot("settings-saved").await;

    // ---- the subject: leaving the grid power out needs a reason — refused in its row, nothing
    // stored; with a reason it is recorded (and PAS 2060's scope 1+2 check fails on it); cleared,
    // the source is back in the subject
    let row = "#subject-decisions tr[data-source='Plant / Grid power']";
    ui.el(&format!("body[data-ready='true'] {row}[data-in='true']"))
        .await;
    ui.click(&format!("{row} button[data-action='exclude']"))
        .await;
    let refusal = ui
        .until(
            "the refusal next to the source's reason",
            &format!(
                "return document.querySelector(\"{row} [data-error-for='reason']\")?.textContent.trim()"
            ),
        )
        .await;
    eprintln!("[e2e] exclusion without a reason: {refusal}");
    assert!(
        !refusal.as_str().unwrap_or("").contains("--"),
        "the desktop shows no command-line flag: {refusal}"
    );
    assert_eq!(
        show(&project)["subject_decisions"],
        json!([]),
        "a refused exclusion stores nothing"
    );
    ui.c.execute(
        &format!("document.querySelector(\"{row}\").scrollIntoView({{block: 'center'}})"),
        vec![],
    )
    .await
    .expect("scroll to the source's row");
    ui.shot("subject-refused").await;
    ui.fill(&format!("{row} input"), "metered by the landlord (test)")
        .await;
    ui.click(&format!("{row} button[data-action='exclude']"))
        .await;
    ui.el(&format!("body[data-ready='true'] {row}[data-in='false']"))
        .await;
    let excluded = claim_now(&project);
    let scope12 = excluded["checks"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .find(|c| c["code"] == "CLAIM_SUBJECT_SCOPE12_COMPLETE")
        })
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(
        scope12["status"],
        json!("fail"),
        "a scope 2 source left out of a PAS 2060 subject fails the scope 1+2 check, reason or not: {scope12}"
    );
    ui.c.execute(
        &format!("document.querySelector(\"{row}\").scrollIntoView({{block: 'center'}})"),
        vec![],
    )
    .await
    .expect("scroll to the source's row");
    ui.shot("subject-excluded").await;
    ui.click(&format!("{row} button[data-action='clear']"))
        .await;
    ui.el(&format!("body[data-ready='true'] {row}[data-in='true']"))
        .await;
    assert_eq!(
        claim_now(&project)["subject_tco2e"],
        cli_claim["subject_tco2e"],
        "cleared, the subject is what it was"
    );

    ui.click("#nav-claim").await;
    ui.until(
        "the ready claim",
        "return document.querySelector('body[data-ready=\"true\"] #claim-verdict[data-framework=\"pas2060\"]')?.dataset.ready === 'true'",
    )
    .await;
    assert_eq!(
        ui.c.execute(
            "return document.querySelectorAll('.claim-check[data-status=\"fail\"]').length",
            vec![]
        )
        .await
        .expect("count"),
        json!(0),
        "no check fails once the settings are filled"
    );
    ui.shot("claim-ready").await;

    ui.click("#nav-claim-documents").await;
    ui.until(
        "the final documents",
        "return document.querySelector('body[data-ready=\"true\"] #doc-state')?.dataset.draft === 'false'",
    )
    .await;
    let doc = ui.text("#doc-text").await;
    assert!(
        !doc.contains("DRAFT") && !doc.contains("草稿"),
        "a ready claim's documents are no draft: {}",
        &doc[..doc.len().min(400)]
    );
    ui.shot("documents-final").await;
    // the documents' tables are tables, not padded text (issue 17: its columns did not line up
    // with Chinese characters); the QES cites its clauses in Chinese
    let tables =
        ui.c.execute(
            "return document.querySelectorAll('#doc-text table.doc-table').length",
            vec![],
        )
        .await
        .expect("tables");
    assert!(
        tables.as_u64().is_some_and(|n| n >= 2),
        "the plan's and the QES's tables are HTML tables: {tables}"
    );
    qes_shot(&mut ui, &doc, "第 5 章", "documents-tables-zh").await;

    // ---- the dossier: exported to a folder, its root and file count those of the manifest
    ui.click("#nav-dossier").await;
    ui.el("body[data-ready='true'] #screen-dossier #dossier-dir")
        .await;
    let dossier = work.join("dossier");
    ui.fill("#dossier-dir", dossier.to_str().expect("utf-8 path"))
        .await;
    ui.click("#dossier-export").await;
    ui.el("#dossier-made #dossier-root").await;
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dossier.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest");
    assert_eq!(
        ui.text("#dossier-root").await,
        manifest["root"].as_str().expect("root").to_string(),
        "the root hash shown is the manifest's"
    );
    assert_eq!(
        ui.attr("#dossier-file-count", "data-count").await,
        Some(
            manifest["files"]
                .as_array()
                .expect("files")
                .len()
                .to_string()
        ),
        "the file count shown is the manifest's"
    );
    assert_eq!(
        manifest["framework"],
        json!("pas2060"),
        "the claim's framework"
    );
    let check = lingtan::dossier::verify(&dossier, std::sync::Arc::new(|| CLAIM_NOW.to_string()))
        .expect("verify");
    assert!(
        check.ok(),
        "the workbench finds the dossier whole: {:?}",
        check.differences
    );
    ui.shot("dossier-written").await;

    // ---- verify it from the screen: whole; then a changed file is named
    assert_eq!(
        ui.c.execute("return document.querySelector('#verify-dir').value", vec![])
            .await
            .expect("verify dir"),
        json!(dossier.display().to_string()),
        "Verify offers the folder just written"
    );
    ui.click("#verify-run").await;
    ui.el("#verify-result").await;
    assert_eq!(
        ui.attr("#verify-result", "data-ok").await.as_deref(),
        Some("true"),
        "the dossier just written verifies"
    );
    ui.c.execute(
        "document.querySelector('#verify-result').scrollIntoView({block: 'end'})",
        vec![],
    )
    .await
    .ok();
    ui.shot("dossier-verified").await;
    let changed = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|f| f["path"].as_str())
        .find(|p| p.ends_with(".pdf"))
        .expect("a PDF in the dossier")
        .to_string();
    let mut bytes = std::fs::read(dossier.join(&changed)).expect("read");
    bytes.extend_from_slice(b"\n% changed after the export\n");
    std::fs::write(dossier.join(&changed), bytes).expect("tamper");
    ui.click("#verify-run").await;
    ui.until(
        "the verification of the changed folder",
        "return document.querySelector('#verify-result')?.dataset.ok === 'false'",
    )
    .await;
    let named = ui
        .c
        .execute(
            "return [...document.querySelectorAll('#verify-differences .difference')].map(d => [d.dataset.kind, d.textContent])",
            vec![],
        )
        .await
        .expect("differences");
    assert!(
        named.as_array().is_some_and(|a| a.iter().any(
            |d| d[0] == json!("changed") && d[1].as_str().is_some_and(|t| t.contains(&changed))
        )),
        "the changed file is named: {named}"
    );
    ui.c.execute(
        "document.querySelector('#verify-result').scrollIntoView({block: 'end'})",
        vec![],
    )
    .await
    .ok();
    ui.shot("dossier-changed").await;

    // ---- the step in English
    ui.click("#lang-toggle").await;
    ui.click("#nav-claim").await;
    ui.el("body[data-ready='true'] #screen-claim #claim-verdict")
        .await;
    ui.shot("claim-en").await;
    ui.click("#nav-claim-settings").await;
    ui.el("body[data-ready='true'] #screen-claim-settings #cs-statement-date")
        .await;
    ui.shot("settings-en").await;
    ui.click("#nav-claim-documents").await;
    ui.el("body[data-ready='true'] #screen-claim-documents #doc-text table.doc-table")
        .await;
    let doc = ui.text("#doc-text").await;
    qes_shot(&mut ui, &doc, "clause 5", "documents-tables-en").await;

    let _ = ui.c.close().await;
    session.driver.terminate();
}
