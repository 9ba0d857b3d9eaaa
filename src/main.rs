//! Entry point of the wasm bundle that Trunk builds.

fn main() {
    console_error_panic_hook::set_once();
    // index.html paints a skeleton while the wasm downloads; the app takes over from here.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(market_app::App);
}
