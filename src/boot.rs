//! Hands the screen over from what index.html painted before the wasm ran to the app.
//!
//! On the home page that is a skeleton, removed as soon as the app mounts. A shared link to an
//! agency or a job also carries its first screen (the name, and an agency's description or a
//! job's scope; see server/src/first_screen.rs): removing that at mount would swap real text for
//! the app's loading placeholder, so it stays, with the app hidden behind it
//! (style/skeleton.css), until the app's view has its own data or an error to show.

use leptos::prelude::{document, request_animation_frame};

const HOLDING: &str = "boot--holding";

/// Called once, just before the app mounts.
pub fn hand_over() {
    let Some(boot) = document().get_element_by_id("boot") else {
        return;
    };
    if matches!(boot.query_selector(".first-screen"), Ok(Some(_))) {
        let _ = boot.class_list().add_1(HOLDING);
    } else {
        boot.remove();
    }
}

/// The app has something of its own to show: the first screen goes, in the frame in which the
/// app's view appears, so no frame shows neither. Cheap when it is already gone.
pub fn release() {
    if document().get_element_by_id("boot").is_some() {
        request_animation_frame(|| {
            if let Some(boot) = document().get_element_by_id("boot") {
                boot.remove();
            }
        });
    }
}
