//! SQLite's own allocations go to mimalloc, the server's global allocator: under glibc malloc
//! SQLite spent a tenth of a bulk load splitting, merging and re-faulting heap chunks.

use rusqlite::ffi;
use std::ffi::{c_int, c_void};

extern "C" {
    // Linked by the `mimalloc` crate; declared here because its Rust bindings for
    // `mi_usable_size` need a crate this build does not have.
    fn mi_malloc(size: usize) -> *mut c_void;
    fn mi_realloc(p: *mut c_void, size: usize) -> *mut c_void;
    fn mi_free(p: *mut c_void);
    fn mi_usable_size(p: *const c_void) -> usize;
}

unsafe extern "C" fn x_malloc(size: c_int) -> *mut c_void {
    // SQLite never asks for a negative size; treat one as a failed allocation.
    match usize::try_from(size) {
        Ok(size) => unsafe { mi_malloc(size) },
        Err(_) => std::ptr::null_mut(),
    }
}

unsafe extern "C" fn x_free(p: *mut c_void) {
    unsafe { mi_free(p) }
}

unsafe extern "C" fn x_realloc(p: *mut c_void, size: c_int) -> *mut c_void {
    match usize::try_from(size) {
        Ok(size) => unsafe { mi_realloc(p, size) },
        Err(_) => std::ptr::null_mut(),
    }
}

unsafe extern "C" fn x_size(p: *mut c_void) -> c_int {
    // SQLite's allocations are bounded well below `c_int::MAX` (SQLITE_MAX_ALLOCATION_SIZE).
    c_int::try_from(unsafe { mi_usable_size(p) }).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn x_roundup(size: c_int) -> c_int {
    // mimalloc's smallest size classes are 8-byte steps; SQLite needs 8-byte alignment.
    size.saturating_add(7) & !7
}

unsafe extern "C" fn x_init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn x_shutdown(_: *mut c_void) {}

/// Routes SQLite's allocations to mimalloc. Called first thing in `main`, before any
/// connection exists: SQLite accepts the setting only before it initialises. If SQLite refuses
/// it, SQLite keeps the system allocator, which is slower but correct.
pub fn use_mimalloc() {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(x_malloc),
        xFree: Some(x_free),
        xRealloc: Some(x_realloc),
        xSize: Some(x_size),
        xRoundup: Some(x_roundup),
        xInit: Some(x_init),
        xShutdown: Some(x_shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: SQLite copies the methods table at this call; the functions it names are safe
    // for any thread, as mimalloc is; no connection is open yet.
    let code = unsafe {
        ffi::sqlite3_config(
            ffi::SQLITE_CONFIG_MALLOC,
            &methods as *const ffi::sqlite3_mem_methods,
        )
    };
    if code != ffi::SQLITE_OK {
        tracing::warn!(code, "SQLite kept its own allocator");
    }
}
