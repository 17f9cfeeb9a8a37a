//! `serve`: makes sure there is a usable index (building one on first start or when the live
//! generation is outdated), opens it and hands the state to `api::server`. It binds the address
//! first of all.

use super::args::ServeArgs;
use super::index::build_index;
use super::{open_engine, progress};
use crate::api::{server, AppState, Reloader};
use crate::config::Config;

/// Runs the HTTP API until SIGTERM or Ctrl-C; exit 0 on a clean stop.
pub fn serve(mut cfg: Config, a: &ServeArgs) -> crate::Result<i32> {
    if let Some(addr) = &a.addr {
        cfg.addr = addr.clone();
    }
    if let Some(d) = &a.submissions {
        cfg.submissions = d.clone();
    }
    if let Some(n) = a.result_cache {
        cfg.result_cache = n;
    }
    // Bind before the first build, which can take a minute: a malformed or taken address
    // fails at once, and "serving" is said only of a socket that is listening.
    let listener = server::bind(&cfg.addr)?;
    let addr = listener
        .local_addr()
        .map_or_else(|_| cfg.addr.clone(), |a| a.to_string());
    if crate::index::generation::current(&cfg.index)?.is_none() {
        progress("no index yet: building one");
        build_index(&cfg)?;
    }
    let engine = match open_engine(&cfg) {
        // A generation from an older release: build a new one beside it, as on first start.
        Err(crate::Error::OutdatedIndex(why)) => {
            progress(&format!(
                "the live generation is outdated ({why}): building a new one"
            ));
            build_index(&cfg)?;
            open_engine(&cfg)?
        }
        r => r?,
    };
    progress(&format!(
        "serving generation {} ({} provisions) on http://{}",
        engine.meta.generation,
        engine.num_docs(),
        addr
    ));
    // The server knows no configuration: it reopens the index through this closure.
    let reload_cfg = cfg.clone();
    let reloader: Reloader = std::sync::Arc::new(move || open_engine(&reload_cfg));
    let state = AppState::new(engine)
        .with_index(cfg.index.clone(), reloader)
        .with_admin_token(cfg.admin_token.clone())
        .with_submissions(cfg.submitter_token.clone(), folders(&cfg))
        .with_limits(cfg.server.clone());
    if cfg.submitter_token.is_some() {
        progress(&format!(
            "accepting practice submissions into {}",
            cfg.submissions.display()
        ));
    }
    server::run(listener, state, progress)?;
    progress("stopped");
    Ok(0)
}

/// Where submissions go and where approved ones are published; none without a practices
/// folder (then the submission route is off).
fn folders(cfg: &Config) -> Option<crate::practices::submit::Folders> {
    cfg.practices
        .clone()
        .map(|practices| crate::practices::submit::Folders {
            submissions: cfg.submissions.clone(),
            practices,
        })
}
