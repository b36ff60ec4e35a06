//! Serves a built app directory at `/` with the SPA fallback a production host has: a path that
//! is not a file and has no extension gets `index.html`, so deep links survive a reload. Every
//! answer carries the strict Content-Security-Policy the app must run under (SPEC §3.7), so the
//! demo and every end-to-end suite that serves the app from here run under it.

use std::path::{Component, Path, PathBuf};

use axum::http::StatusCode;
use axum::response::Response;

use crate::http::{respond, with_header};

/// SPEC §3.7's policy (the same as `e2e/server.mjs`'s `CSP`), with loopback as the vendor origins
/// (a simulator on another port) and as the portal origins (`localhost` too: e2e/embed.test.mjs's
/// third, unheard origin must be able to frame the app to show that its messages are ignored).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self'; connect-src 'self' http://127.0.0.1:*; \
    frame-ancestors 'self' http://127.0.0.1:* http://localhost:*; base-uri 'self'; form-action 'self'";

pub async fn serve(dist: &Path, url_path: &str) -> Response {
    let r = with_header(file(dist, url_path).await, "content-security-policy", CSP);
    with_header(r, "x-content-type-options", "nosniff")
}

async fn file(dist: &Path, url_path: &str) -> Response {
    let decoded = crate::http::percent_decode(url_path.trim_start_matches('/'));
    let rel = PathBuf::from(&decoded);
    // Only plain components: no `..`, no absolute paths, nothing outside `dist`.
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return not_found();
    }
    let mut file = dist.join(&rel);
    if decoded.is_empty() || decoded.ends_with('/') {
        file = file.join("index.html");
    }
    if let Ok(bytes) = tokio::fs::read(&file).await {
        return respond(StatusCode::OK, content_type(&file), bytes);
    }
    let last = decoded.rsplit('/').next().unwrap_or("");
    if !last.contains('.') {
        if let Ok(bytes) = tokio::fs::read(dist.join("index.html")).await {
            return respond(StatusCode::OK, "text/html; charset=utf-8", bytes);
        }
    }
    not_found()
}

fn not_found() -> Response {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "not found\n",
    )
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}
