//! A global allocator that wraps the system's and, while counting is on, counts allocations
//! and tracks the bytes allocated and their peak. A bench that wants it declares it:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: common::counting::Counting = common::counting::Counting;
//! ```
//!
//! Off, it costs one relaxed load per allocation, so timed code can run with it declared.
//! Bytes freed while counting was off are not subtracted, so [`current`] and [`peak`] are
//! meaningful only with counting on from the start (`memory` turns it on first thing).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The system allocator, counting when asked to.
pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Turns counting on or off.
pub fn set_on(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

/// The bytes allocated now (counted since counting was turned on).
pub fn current() -> usize {
    CURRENT.load(Ordering::Relaxed)
}

/// The highest [`current`] since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from the current level.
pub fn reset_peak() {
    PEAK.store(current(), Ordering::Relaxed);
}

/// How many allocations (and growing reallocations) `work` makes, with counting on while it
/// runs; other threads' allocations meanwhile count too, so measure single-threaded work.
pub fn allocations<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let was_on = ON.swap(true, Ordering::Relaxed);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let value = work();
    let made = ALLOCATIONS.load(Ordering::Relaxed) - before;
    ON.store(was_on, Ordering::Relaxed);
    (value, made)
}

fn grew(bytes: usize) {
    if ON.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let now = CURRENT.fetch_add(bytes, Ordering::Relaxed) + bytes;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(bytes: usize) {
    if ON.load(Ordering::Relaxed) {
        // Saturating: what was allocated before counting began may be freed after.
        let _ = CURRENT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |now| {
            Some(now.saturating_sub(bytes))
        });
    }
}

// SAFETY: every call is passed to `System` unchanged; only the sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System::alloc`'s.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System::alloc_zeroed`'s.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is `System::dealloc`'s.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is `System::realloc`'s.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}
