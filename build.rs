//! Builds the self-check page's WebAssembly from this same crate (`src/check`), so that the
//! page schools open reads their files exactly as the office's run does: the crate without
//! its `batch` feature, for wasm32-unknown-unknown, then wasm-bindgen for its script. The
//! `bdtx` binary embeds both (`check::page`).
//!
//! Needs `rustup target add wasm32-unknown-unknown` and `wasm-bindgen-cli` of the version
//! Cargo.toml pins (`.ci/run` installs both). Without them the batch job builds as before,
//! with a warning, and `bdtx self-check --out` says what is missing. `BDTX_NO_PAGE=1` skips
//! the page (quicker builds while working on the batch job).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    for watched in ["src", "schemas", "Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={watched}");
    }
    println!("cargo:rerun-if-env-changed=BDTX_NO_PAGE");
    println!("cargo::rustc-check-cfg=cfg(bdtx_page)");
    let batch = env::var_os("CARGO_FEATURE_BATCH").is_some();
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if !batch || wasm {
        return;
    }
    if env::var_os("BDTX_NO_PAGE").is_some() {
        println!("cargo:warning=BDTX_NO_PAGE: the self-check page is not built");
        return;
    }
    match build_page() {
        Ok(()) => println!("cargo:rustc-cfg=bdtx_page"),
        Err(why) => println!("cargo:warning=the self-check page is not built: {why}"),
    }
}

/// The module, then its script, into `OUT_DIR/page/` (bdtx_bg.wasm, bdtx.js).
fn build_page() -> Result<(), String> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").map_err(|e| e.to_string())?);
    let out = PathBuf::from(env::var("OUT_DIR").map_err(|e| e.to_string())?);
    // Its own target folder: the outer build holds its own locked.
    let target = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("target"))
        .join("self-check-wasm");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut build = Command::new(cargo);
    build
        .args(["rustc", "--release", "--lib", "--no-default-features"])
        .args([
            "--target",
            "wasm32-unknown-unknown",
            "--crate-type",
            "cdylib",
        ])
        .arg("--manifest-path")
        .arg(manifest.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target);
    // The outer build's wrappers and flags are for the host (clippy's driver, coverage).
    for var in [
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_TARGET",
        "CARGO_TARGET_DIR",
    ] {
        build.env_remove(var);
    }
    run(&mut build, "cargo (wasm32-unknown-unknown)")?;
    let module = target.join("wasm32-unknown-unknown/release/bdtx.wasm");
    let page = out.join("page");
    let mut bindgen = Command::new(wasm_bindgen());
    bindgen
        .args(["--target", "no-modules", "--no-typescript", "--out-dir"])
        .arg(&page)
        .arg(&module);
    run(&mut bindgen, "wasm-bindgen")
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{what} failed ({status})")),
        Err(e) => Err(format!("{what} not found ({e})")),
    }
}

/// wasm-bindgen on the PATH, else where `cargo install` puts it.
fn wasm_bindgen() -> PathBuf {
    let installed = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .map(|home| home.join("bin/wasm-bindgen"));
    match installed {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("wasm-bindgen"),
    }
}
