//! Serves a built app directory at `/` with the SPA fallback a production host has: a path that
//! is not a file and has no extension gets `index.html`, so deep links survive a reload.

use std::path::{Component, Path, PathBuf};

use axum::http::StatusCode;
use axum::response::Response;

use crate::http::respond;

pub async fn serve(dist: &Path, url_path: &str) -> Response {
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
