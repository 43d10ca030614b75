//! The element's allocator (`element/src/alloc.rs`), run natively against a model.
//!
//! The allocator is compiled into the wasm only, as the global allocator; this test
//! includes its source as a module and gives it a fixed arena for `memory.grow` (the
//! `memory` module below). Random sequences of alloc, dealloc, realloc and foreign
//! growth (another part of the module growing memory) are played on a fresh allocator
//! and checked against a model kept here:
//! - every block is aligned to its layout, and blocks up to a page to their class size;
//! - live blocks (at their full class size) never overlap each other or memory that
//!   someone else grew, and lie inside the grown arena;
//! - every live block keeps the bytes written into it until it is freed, and realloc
//!   keeps the first `min(old, new)` bytes;
//! - a freed block is what the next allocation of its class gets back (last freed,
//!   first reused), and a block that is not reused is carved above every earlier one;
//! - realloc within a class keeps the block; alignments above a page are refused;
//!   a null answer comes only when the arena cannot hold the block.

// A failing test may panic: that is how it fails.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../src/alloc.rs"]
mod alloc;

use std::alloc::{GlobalAlloc, Layout};
use std::collections::BTreeMap;

use alloc::SizeClasses;
use proptest::prelude::*;

const PAGE: usize = 65_536;
/// The arena's size: small enough that large blocks sometimes exhaust it.
const ARENA_PAGES: usize = 64;

/// `memory.grow` over one page-aligned arena per thread (proptest runs the cases of a
/// test one after another on its thread).
mod memory {
    use std::cell::Cell;

    use super::{ARENA_PAGES, PAGE};

    thread_local! {
        /// The arena's first page number (its address / PAGE) and how many pages are grown.
        static ARENA: Cell<(usize, usize)> = Cell::new((first_page(), 0));
    }

    fn first_page() -> usize {
        let layout = std::alloc::Layout::from_size_align(ARENA_PAGES * PAGE, PAGE).unwrap();
        // SAFETY: a non-zero size; the arena lives as long as the thread (leaked).
        let base = unsafe { std::alloc::alloc_zeroed(layout) };
        assert!(!base.is_null());
        base as usize / PAGE
    }

    pub fn grow(pages: usize) -> usize {
        ARENA.with(|arena| {
            let (first, used) = arena.get();
            if used + pages > ARENA_PAGES {
                return usize::MAX;
            }
            arena.set((first, used + pages));
            first + used
        })
    }

    /// Forgets every page grown so far, for the next case's fresh allocator.
    pub fn reset() {
        ARENA.with(|arena| arena.set((arena.get().0, 0)));
    }

    /// The arena's start and the end of what has been grown, as addresses.
    pub fn bounds() -> (usize, usize) {
        ARENA.with(|arena| {
            let (first, used) = arena.get();
            (first * PAGE, (first + used) * PAGE)
        })
    }
}

#[derive(Clone, Debug)]
enum Op {
    Alloc {
        size: usize,
        align_log2: u32,
    },
    /// Frees the live block at this index (modulo the number of live blocks).
    Dealloc(usize),
    Realloc(usize, usize),
    /// Another part of the module grows memory by this many pages.
    ForeignGrow(usize),
}

fn size() -> impl Strategy<Value = usize> {
    prop_oneof![
        8 => 1usize..=64,
        4 => 65usize..=4_096,
        2 => 4_097usize..=PAGE + 100,
        1 => PAGE..=PAGE * 9,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (size(), prop_oneof![6 => 0u32..=4, 2 => 5u32..=16, 1 => 17u32..=18])
            .prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
        4 => any::<usize>().prop_map(Op::Dealloc),
        3 => (any::<usize>(), size()).prop_map(|(i, size)| Op::Realloc(i, size)),
        1 => (1usize..=3).prop_map(Op::ForeignGrow),
    ]
}

/// The model's class of a layout, computed independently of `class_of`.
fn class_size(layout: Layout) -> usize {
    let mut size = 8;
    while size < layout.size() || size < layout.align() {
        size *= 2;
    }
    size
}

struct Live {
    layout: Layout,
    /// The byte pattern written into it.
    seed: u8,
}

fn pattern(seed: u8, i: usize) -> u8 {
    seed.wrapping_add((i % 251) as u8).wrapping_mul(31) ^ (i >> 8) as u8
}

fn fill(block: usize, len: usize, seed: u8) {
    let bytes = block as *mut u8;
    for i in 0..len {
        // SAFETY: `block` is a live block of at least `len` bytes.
        unsafe { bytes.add(i).write(pattern(seed, i)) };
    }
}

fn check(block: usize, len: usize, seed: u8) -> Result<(), TestCaseError> {
    let bytes = block as *const u8;
    for i in 0..len {
        // SAFETY: as in `fill`.
        let found = unsafe { bytes.add(i).read() };
        prop_assert_eq!(found, pattern(seed, i), "byte {} of the block at {:#x}", i, block);
    }
    Ok(())
}

struct Model {
    live: BTreeMap<usize, Live>,
    /// Freed blocks of each class size, the last freed last.
    free: BTreeMap<usize, Vec<usize>>,
    /// Memory grown by someone else: never to be handed out.
    foreign: Vec<(usize, usize)>,
    /// The end of the highest block carved so far.
    carved_to: usize,
    next_seed: u8,
}

impl Model {
    /// Checks a block the allocator just gave for `layout`, then records it as live.
    fn accept(&mut self, block: usize, layout: Layout) -> Result<(), TestCaseError> {
        let class = class_size(layout);
        prop_assert_eq!(block % layout.align(), 0, "{:?} at {:#x}", layout, block);
        prop_assert_eq!(block % class.min(PAGE), 0, "class {} at {:#x}", class, block);
        let (start, end) = memory::bounds();
        prop_assert!(block >= start && block + class <= end, "{:#x} outside the arena", block);
        match self.free.get_mut(&class).and_then(Vec::pop) {
            Some(reused) => prop_assert_eq!(block, reused, "the last freed block of its class"),
            None => {
                prop_assert!(block >= self.carved_to, "a fresh block below an earlier one");
                self.carved_to = block + class;
            }
        }
        for (&other, live) in self.live.range(..block + class) {
            let other_end = other + class_size(live.layout);
            prop_assert!(other_end <= block, "{:#x} overlaps the live block at {:#x}", block, other);
        }
        for &(from, to) in &self.foreign {
            prop_assert!(block + class <= from || to <= block, "{:#x} is in foreign memory", block);
        }
        let seed = self.next_seed;
        self.next_seed = self.next_seed.wrapping_add(1);
        fill(block, layout.size(), seed);
        self.live.insert(block, Live { layout, seed });
        Ok(())
    }

    /// A null answer for `layout` must mean the arena is out of room.
    fn refused(&self, layout: Layout) -> Result<(), TestCaseError> {
        let class = class_size(layout);
        prop_assert!(self.free.get(&class).is_none_or(Vec::is_empty), "null with a free block of its class");
        let (start, grown) = memory::bounds();
        let room = start + ARENA_PAGES * PAGE - grown;
        // Memory grows by whole pages; alignment wastes less than a block's own size (a
        // page, for larger ones); a restart after a foreign growth less than a page more.
        prop_assert!(room < class + class.min(PAGE) + PAGE, "null with {} bytes left for {}", room, class);
        Ok(())
    }

    fn pick(&self, index: usize) -> Option<usize> {
        let n = self.live.len();
        (n > 0).then(|| *self.live.keys().nth(index % n).unwrap())
    }

    fn free_block(&mut self, block: usize) -> Live {
        let live = self.live.remove(&block).unwrap();
        self.free.entry(class_size(live.layout)).or_default().push(block);
        live
    }
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    memory::reset();
    let heap = SizeClasses::new();
    let mut model = Model {
        live: BTreeMap::new(),
        free: BTreeMap::new(),
        foreign: Vec::new(),
        carved_to: 0,
        next_seed: 1,
    };
    for op in ops {
        match *op {
            Op::Alloc { size, align_log2 } => {
                let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                // SAFETY: a non-zero size.
                let block = unsafe { heap.alloc(layout) } as usize;
                if layout.align() > PAGE {
                    prop_assert_eq!(block, 0, "an alignment above a page is refused");
                } else if block == 0 {
                    model.refused(layout)?;
                } else {
                    model.accept(block, layout)?;
                }
            }
            Op::Dealloc(index) => {
                let Some(block) = model.pick(index) else { continue };
                let live = model.free_block(block);
                check(block, live.layout.size(), live.seed)?;
                // SAFETY: a live block with the layout it was allocated with.
                unsafe { heap.dealloc(block as *mut u8, live.layout) };
            }
            Op::Realloc(index, new_size) => {
                let Some(block) = model.pick(index) else { continue };
                let live = &model.live[&block];
                let (layout, seed) = (live.layout, live.seed);
                check(block, layout.size(), seed)?;
                let new_layout = Layout::from_size_align(new_size, layout.align()).unwrap();
                // SAFETY: a live block, its layout, and a non-zero new size.
                let moved = unsafe { heap.realloc(block as *mut u8, layout, new_size) } as usize;
                let kept = layout.size().min(new_size);
                if moved == 0 {
                    // The block is still the caller's, untouched.
                    model.refused(new_layout)?;
                    check(block, layout.size(), seed)?;
                    continue;
                }
                check(moved, kept, seed)?;
                if class_size(new_layout) == class_size(layout) {
                    prop_assert_eq!(moved, block, "a realloc within its class moves nothing");
                    let live = model.live.get_mut(&block).unwrap();
                    live.layout = new_layout;
                    fill(block, new_size, seed);
                } else {
                    // As alloc then dealloc: the new block is taken while the old one is
                    // still live, then the old one goes onto its free list. (`accept`
                    // writes a fresh pattern; the kept bytes were checked above.)
                    model.accept(moved, new_layout)?;
                    model.free_block(block);
                }
            }
            Op::ForeignGrow(pages) => {
                let previous = memory::grow(pages);
                if previous != usize::MAX {
                    model.foreign.push((previous * PAGE, (previous + pages) * PAGE));
                }
            }
        }
    }
    for (&block, live) in &model.live {
        check(block, live.layout.size(), live.seed)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_sequences_match_the_model(ops in proptest::collection::vec(op(), 1..80)) {
        run(&ops)?;
    }

    /// The same shapes allocated and freed again and again (a refresh, a remount) take
    /// no new memory after the first round.
    #[test]
    fn repeated_shapes_stay_flat(sizes in proptest::collection::vec(1usize..=5_000, 1..40), rounds in 2usize..6) {
        memory::reset();
        let heap = SizeClasses::new();
        let layouts: Vec<Layout> = sizes.iter().map(|&size| Layout::from_size_align(size, 8).unwrap()).collect();
        let mut grown_after_first = None;
        for _ in 0..rounds {
            // SAFETY: non-zero sizes; each block is freed with its own layout.
            let blocks: Vec<*mut u8> = layouts.iter().map(|&layout| unsafe { heap.alloc(layout) }).collect();
            prop_assert!(blocks.iter().all(|block| !block.is_null()));
            for (&block, &layout) in blocks.iter().zip(&layouts).rev() {
                unsafe { heap.dealloc(block, layout) };
            }
            let grown = memory::bounds().1;
            prop_assert_eq!(*grown_after_first.get_or_insert(grown), grown);
        }
    }
}
