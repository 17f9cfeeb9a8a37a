//! The web interface in a real headless Chromium, driven over WebDriver (chromedriver), against
//! `consulex serve` on a loopback port: a search, a facet ticked (counts and hits change), a
//! provision opened, the interface language switched, the heatmap's contrast and the keyboard
//! focus order checked, a phone-width layout, and a screenshot of every page saved to
//! `target/browser-screenshots/` (or `CONSULEX_SCREENSHOTS`). One test, one browser session.
//!
//! Skipped, with a message saying so, where no Chromium or chromedriver is installed (Debian:
//! `apt-get install chromium chromium-driver`; `.ci/run` installs them).

mod common;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a child process when the test ends, however it ends.
struct Reaper(Child);
impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "{what} did not come up in {secs} s"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A minimal W3C WebDriver client over blocking HTTP.
struct Driver {
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Driver {
    fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
        let resp = match (method, body) {
            ("GET", _) => agent.get(url).call(),
            ("DELETE", _) => agent.delete(url).call(),
            (_, b) => agent.post(url).send_json(b.unwrap_or(json!({}))),
        };
        let text = match resp {
            Ok(mut r) => r.body_mut().read_to_string().unwrap_or_default(),
            Err(e) => panic!("{method} {url}: {e}"),
        };
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if let Some(err) = v["value"]["error"].as_str() {
            panic!("{method} {url}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    fn start(port: u16, chromium: &Path) -> Driver {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium.to_string_lossy(),
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,900",
                         "--lang=en-US", "--hide-scrollbars", "--force-color-profile=srgb"]
            }
        }}});
        let v = Driver::call(&agent, "POST", &format!("{base}/session"), Some(caps));
        let session = v["sessionId"].as_str().expect("session id").to_string();
        Driver {
            base,
            session,
            agent,
        }
    }

    fn req(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        Driver::call(&self.agent, method, &url, body)
    }

    fn goto(&self, url: &str) {
        self.req("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.req("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn js(&self, script: &str) -> Value {
        self.req(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.req(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        self.req("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    fn text(&self, css: &str) -> String {
        let id = self.element(css);
        self.req("GET", &format!("/element/{id}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        self.req("POST", &format!("/element/{id}/clear"), Some(json!({})));
        self.req(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn press_tab(&self) {
        self.req(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "kb", "actions": [
                {"type": "keyDown", "value": "\u{E004}"}, {"type": "keyUp", "value": "\u{E004}"}
            ]}]})),
        );
    }

    fn window(&self, w: u32, h: u32) {
        self.req(
            "POST",
            "/window/rect",
            Some(json!({"width": w, "height": h})),
        );
    }

    fn screenshot(&self, dir: &Path, name: &str) {
        let b64 = self.req("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().expect("screenshot"));
        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Waits until the page's URL satisfies `ok` and the document is loaded.
    fn wait_url(&self, what: &str, ok: impl Fn(&str) -> bool) {
        wait_for(what, 30, || {
            ok(&self.url()) && self.js("return document.readyState") == "complete"
        });
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let url = format!("{}/session/{}", self.base, self.session);
        let _ = self.agent.delete(&url).call();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter_map(val) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// `rgb(r, g, b)` / `rgba(r, g, b, a)` as three channels.
fn rgb(css: &str) -> [f64; 3] {
    let inner = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let v: Vec<f64> = inner
        .split(',')
        .take(3)
        .map(|x| x.trim().parse().unwrap_or(0.0))
        .collect();
    [v[0], v[1], v[2]]
}

/// WCAG 2.1 contrast ratio of two colours.
fn contrast(a: [f64; 3], b: [f64; 3]) -> f64 {
    let lum = |c: [f64; 3]| {
        let ch = |x: f64| {
            let x = x / 255.0;
            if x <= 0.03928 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn the_site_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        find(
            "CONSULEX_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        ),
        find("CONSULEX_CHROMEDRIVER", &["chromedriver"]),
    ) else {
        eprintln!(
            "SKIPPED browser test: no chromium and/or chromedriver on PATH \
             (apt-get install chromium chromium-driver, or set CONSULEX_CHROMIUM and CONSULEX_CHROMEDRIVER)"
        );
        return;
    };
    let shots = std::env::var_os("CONSULEX_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo_file("target/browser-screenshots"));
    std::fs::create_dir_all(&shots).unwrap();

    // the server, as the README starts it
    let index = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let site = format!("http://127.0.0.1:{port}");
    let _server = Reaper(
        Command::new(env!("CARGO_BIN_EXE_consulex"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("CONSULEX_CORPUS", common::shared_corpus())
            .env("CONSULEX_INDEX", index.path())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let probe = ureq::Agent::new_with_defaults();
    wait_for("consulex serve", 300, || {
        probe.get(&format!("{site}/health")).call().is_ok()
    });
    let dport = common::free_port();
    let _driver_proc = Reaper(
        Command::new(&chromedriver)
            .arg(format!("--port={dport}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for("chromedriver", 60, || {
        probe
            .get(&format!("http://127.0.0.1:{dport}/status"))
            .call()
            .is_ok()
    });
    let d = Driver::start(dport, &chromium);

    // 1. search, in English (the browser asks for en-US)
    d.goto(&format!("{site}/"));
    assert_eq!(d.js("return document.documentElement.lang"), "en");
    d.type_into("#q", "pasaporte");
    d.click(".searchbox button[type=submit]");
    d.wait_url("search results", |u| u.contains("q=pasaporte"));
    let total: usize = d.text("#total").parse().unwrap();
    assert!(total > 0);
    let co_before = d.text("label[for=f-country-CO] .count");
    d.screenshot(&shots, "search");

    // 2. tick a facet: the script applies it at once; hits and counts change
    d.click("#f-country-AR");
    d.wait_url("facet applied", |u| u.contains("country=AR"));
    let narrowed: usize = d.text("#total").parse().unwrap();
    assert!(narrowed > 0 && narrowed < total, "{narrowed} of {total}");
    let countries = d.js(
        "return Array.from(document.querySelectorAll('.hit .badge.country')).map(e => e.textContent)",
    );
    let countries: Vec<&str> = countries
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(
        !countries.is_empty() && countries.iter().all(|c| *c == "AR"),
        "{countries:?}"
    );
    // disjunctive: the other countries keep their counts, the other dimensions narrow
    assert_eq!(d.text("label[for=f-country-CO] .count"), co_before);
    assert_eq!(
        d.js("return document.getElementById('f-country-AR').checked"),
        true
    );
    // focus came back to the facet after the reload
    assert_eq!(d.js("return document.activeElement.id"), "f-country-AR");
    d.screenshot(&shots, "search-facet");

    // 3. open a provision
    d.click(".hit h3 a");
    d.wait_url("provision", |u| u.contains("/p/"));
    assert!(!d.text("article.provision .text").is_empty());
    assert!(d.text(".breadcrumbs").contains("Argentina"));
    d.screenshot(&shots, "provision");

    // a provision with its twin side by side
    d.goto(&format!("{site}/p/ca-eng-f-29.4:sched_2__art_36"));
    assert_eq!(
        d.js("return document.querySelectorAll('.texts.two .text').length"),
        2
    );
    let layout = d.js(
        "const t = document.querySelectorAll('.texts.two .lawtext');\
         return [t[0].getBoundingClientRect().top, t[1].getBoundingClientRect().top, t[0].getBoundingClientRect().left < t[1].getBoundingClientRect().left]",
    );
    assert_eq!(layout[0], layout[1], "texts aligned at the top");
    assert_eq!(layout[2], true, "side by side");
    d.screenshot(&shots, "provision-twin");

    // 4. switch the interface language; the cookie keeps it
    d.click("nav.langs a[hreflang=fr]");
    d.wait_url("French", |u| u.contains("lang=fr"));
    assert_eq!(d.js("return document.documentElement.lang"), "fr");
    d.goto(&format!("{site}/"));
    assert_eq!(d.js("return document.documentElement.lang"), "fr");
    assert_eq!(d.text("header nav a[href='/']"), "Recherche");
    d.goto(&format!("{site}/?lang=en"));

    // 5. keyboard: the skip link first, then the site's navigation in order, focus visible
    d.goto(&format!("{site}/matrix"));
    let mut order = Vec::new();
    for _ in 0..9 {
        d.press_tab();
        let v = d.js(
            "const e = document.activeElement; const s = getComputedStyle(e);\
             return [e.tagName + ' ' + (e.getAttribute('href') || e.id || ''), s.outlineStyle, parseFloat(s.outlineWidth)]",
        );
        assert_ne!(v[1], "none", "focus not visible on {}", v[0]);
        assert!(
            v[2].as_f64().unwrap_or(0.0) >= 2.0,
            "thin focus ring on {}",
            v[0]
        );
        order.push(v[0].as_str().unwrap_or("").to_string());
    }
    assert_eq!(
        &order[..8],
        &[
            "A #main",
            "A /",
            "A /",
            "A /compare",
            "A /matrix",
            "A /gaps",
            "A /standards/vccr",
            "A /changes"
        ],
        "{order:?}"
    );

    // 6. the heatmap: every cell's text against its background passes WCAG AA
    let cells = d.js(
        "return Array.from(document.querySelectorAll('table.matrix tbody td')).map(td => {\
           const s = getComputedStyle(td.querySelector('a, span.mark') || td);\
           return [td.className, s.color, getComputedStyle(td).backgroundColor, td.textContent.trim()]; })",
    );
    let cells = cells.as_array().unwrap();
    assert!(cells.len() > 100, "{} cells", cells.len());
    let mut classes = std::collections::BTreeSet::new();
    for c in cells {
        let ratio = contrast(rgb(c[1].as_str().unwrap()), rgb(c[2].as_str().unwrap()));
        assert!(ratio >= 4.5, "cell {c} has contrast {ratio:.2}");
        assert!(
            !c[3].as_str().unwrap().is_empty(),
            "a cell with no mark: {c}"
        );
        classes.insert(c[0].as_str().unwrap().to_string());
    }
    assert!(classes.len() >= 4, "{classes:?}");
    d.screenshot(&shots, "matrix");

    // 7. every other page, with a screenshot
    for (name, path, css) in [
        (
            "compare",
            "/compare?category=protection%2Fdetention&countries=AR&countries=CO&countries=MX",
            ".column",
        ),
        ("gaps", "/gaps/PY", "ol.gaps"),
        ("standards-vccr", "/standards/vccr", "ol.articles"),
        ("changes", "/changes", "ol.generations"),
    ] {
        d.goto(&format!("{site}{path}"));
        d.element(css);
        d.screenshot(&shots, name);
    }

    // 8. a phone's width: nothing overflows sideways on the search page
    d.window(390, 844);
    d.goto(&format!("{site}/?q=detenidos"));
    let overflow = d.js("return document.documentElement.scrollWidth - window.innerWidth");
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "overflow {overflow}"
    );
    d.screenshot(&shots, "search-phone");
    eprintln!("screenshots in {}", shots.display());
}
