//! Entry point for the browser build: mount the app, nothing else.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(session_viewer::App);
}
