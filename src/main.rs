//! Entry point of the wasm bundle that Trunk builds.

fn main() {
    console_error_panic_hook::set_once();
    // A visitor who chose English gets it from the first paint: its table is fetched before the
    // app mounts (Chinese needs nothing). If that fails the app starts in Chinese.
    wasm_bindgen_futures::spawn_local(async {
        let _ = market_app::i18n::load(market_app::i18n::stored_locale()).await;
        // index.html paints a skeleton, or a shared link's first screen, while the wasm
        // downloads; the app takes over from here.
        market_app::boot::hand_over();
        leptos::mount::mount_to_body(market_app::App);
    });
}
