//! Entry point of the wasm bundle that Trunk builds.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(market_app::App);
}
