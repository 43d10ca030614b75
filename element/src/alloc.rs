//! A small allocator for the core: power-of-two size classes, each with a free list.
//!
//! The bar allocates a few hundred small strings and nodes and frees them again in
//! the same shapes (a refresh, a tick, a remount), which is the case size classes
//! serve well. Memory freed to a class is reused by that class and never returned to
//! the page, the same as the standard allocator on wasm32, and the 1,000-remount test
//! shows it stays flat. It is about a tenth of the size of `dlmalloc`, the standard
//! library's allocator on this target (docs/performance.md).
//!
//! wasm32 without the `atomics` feature has a single thread, which is what makes the
//! unsynchronised state sound.
//!
//! New pages come from [`grow`]: `memory.grow` in the wasm build. Natively this file is
//! compiled only by its test (`element/tests/alloc.rs` includes it), which supplies a
//! `grow` over a fixed arena in its `memory` module. A cfg'd function rather than a
//! type parameter: the wasm is byte for byte what it was with the call written inline,
//! where a generic memory source cost 3 bytes gzip.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;
use std::ptr::null_mut;

/// Adds `pages` pages of 64 KiB after the end of memory and returns the old size in
/// pages (the new pages start at `old * PAGE`), or `usize::MAX` when memory is full.
#[cfg(target_arch = "wasm32")]
fn grow(pages: usize) -> usize {
    core::arch::wasm32::memory_grow(0, pages)
}

/// The native test's arena (see the module comment).
#[cfg(not(target_arch = "wasm32"))]
use super::memory::grow;

const PAGE: usize = 65_536;
/// Classes 2^0 to 2^31 bytes; the smallest used is 8, room for a free-list link.
const CLASSES: usize = 32;
const MIN_CLASS: u32 = 3;

pub struct SizeClasses {
    state: UnsafeCell<Heap>,
}

struct Heap {
    /// The first free block of each class; each free block holds the next one's address.
    free: [usize; CLASSES],
    /// The untouched memory between `next` and `end`.
    next: usize,
    end: usize,
}

// SAFETY: see the module comment: one thread.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> SizeClasses {
        SizeClasses { state: UnsafeCell::new(Heap { free: [0; CLASSES], next: 0, end: 0 }) }
    }
}

/// The class of a layout: the power of two that holds its size and its alignment.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros() as usize;
    (class < CLASSES).then_some(class)
}

impl Heap {
    /// A block of `1 << class` bytes, aligned to its size up to a page.
    fn carve(&mut self, class: usize) -> *mut u8 {
        let size = 1usize << class;
        let align = size.min(PAGE);
        let Some(start) = self.next.checked_add(align - 1).map(|n| n & !(align - 1)) else {
            return null_mut();
        };
        let Some(end) = start.checked_add(size) else { return null_mut() };
        if end > self.end {
            let pages = (end - self.end).div_ceil(PAGE);
            let previous = grow(pages);
            if previous == usize::MAX {
                return null_mut();
            }
            let grown_from = previous * PAGE;
            if grown_from != self.end {
                // The first growth (or someone else grew memory): start at the new pages.
                self.next = grown_from;
                self.end = grown_from + pages * PAGE;
                return self.carve(class);
            }
            self.end += pages * PAGE;
        }
        self.next = end;
        start as *mut u8
    }
}

// SAFETY: blocks are handed out once until freed, are at least as large and as aligned
// as their layout (classes are powers of two at least the alignment; blocks up to a page
// are aligned to their size, larger ones to a page, and larger alignments are refused).
unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout).filter(|_| layout.align() <= PAGE) else { return null_mut() };
        let heap = &mut *self.state.get();
        // `get_mut` rather than indexing: no bounds-check panic (and its message
        // formatting) in the allocator.
        let Some(slot) = heap.free.get_mut(class) else { return null_mut() };
        let head = *slot;
        if head != 0 {
            *slot = *(head as *const usize);
            return head as *mut u8;
        }
        heap.carve(class)
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let heap = &mut *self.state.get();
        let Some(slot) = class_of(layout).and_then(|class| heap.free.get_mut(class)) else { return };
        *(block as *mut usize) = *slot;
        *slot = block as usize;
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else { return null_mut() };
        if class_of(new_layout) == class_of(layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            std::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}
