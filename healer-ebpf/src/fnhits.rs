//! Function hits for spectrum-based fault localization: one uprobe per function of a test
//! binary, the attach cookie being the function's index. Only the private copy of the binary
//! that the collector runs is probed (uprobes attach to its inode), so no process filter is
//! needed here.

use aya_ebpf::{
    EbpfContext,
    helpers::generated::bpf_get_attach_cookie,
    macros::{map, uprobe},
    maps::Array,
    programs::ProbeContext,
};
use healer_common::fnhits::{CHUNK, CHUNKS, FnHitChunk};

#[map]
static FN_HITS: Array<FnHitChunk> = Array::with_max_entries(CHUNKS, 0);

#[inline(always)]
fn record(ctx: &ProbeContext) -> u32 {
    // SAFETY: the helper only reads the program's own run context.
    let i = unsafe { bpf_get_attach_cookie(ctx.as_ptr()) };
    let Some(chunk) = FN_HITS.get_ptr_mut((i / CHUNK as u64) as u32) else {
        return 0;
    };
    let slot = (i % CHUNK as u64) as usize;
    // SAFETY: `chunk` points into the map value; `slot < CHUNK`. Skipping the store when the
    // flag is already set keeps hot functions from dirtying the cache line on every call.
    unsafe {
        if (*chunk).hit[slot] == 0 {
            (*chunk).hit[slot] = 1;
        }
    }
    0
}

/// Attached with one `uprobe.multi` link for all functions.
#[uprobe(multi)]
pub fn fn_hit_multi(ctx: ProbeContext) -> u32 {
    record(&ctx)
}

/// Fallback for kernels without `uprobe.multi`: one uprobe per function.
#[uprobe]
pub fn fn_hit(ctx: ProbeContext) -> u32 {
    record(&ctx)
}
