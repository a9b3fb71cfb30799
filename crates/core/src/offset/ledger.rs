//! The ledger of credit blocks: a unit is recorded once.
//!
//! A new block is refused when it overlaps a block already recorded — same registry, same block
//! key (Verra issuance, Gold Standard batch, CDM fields, the text before an "X to Y" range) and
//! intersecting ranges — naming the other block and the overlapping units; the same serial twice
//! is refused too (for a block without a range, the only check possible). Voided blocks are not
//! loaded, so a corrected entry can replace a mistaken one.
//!
//! The index is a `BTreeMap` per block key ordered by first unit: as long as the recorded ranges
//! of a key are disjoint (the ledger keeps them so), the only candidates for an overlap with
//! `first..=last` are the blocks starting at or before `last`, walked back until one ends before
//! `first` — O(log n + overlaps). A project written outside Lingtan may already hold overlaps:
//! [`Ledger::load`] reports them as checks and that key falls back to a full scan, so nothing is
//! missed.
//!
//! A partial retirement splits a block as registries do ([`split`]): the retired sub-range and the
//! rest, each with its own serial rebuilt in the registry's grammar, quantities adding up to the
//! block. [`Ledger::replace`] puts the parts in place of the block only if they tile it exactly.

use super::serial::{Registry, Serial};
use super::{Check, Refusal, Rule};
use crate::issue::Severity;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The id of a block in the project (the store's row id).
pub type BlockId = i64;

const NO_DOUBLE_COUNT: &str = "ISO 14068-1:2023 clause 11 (credits not double counted); ICVCM Core Carbon Principles (no double counting); OFFSET.md 'Double counting that the app can catch'";

pub const LEDGER_OVERLAP: Rule = Rule {
    code: "LEDGER_OVERLAP",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: NO_DOUBLE_COUNT,
    en: "The block overlaps a block already recorded (same registry, same issuance or batch, intersecting units).",
    zh: "该区块与已登记区块重叠（同一登记处、同一发行号或批次、单位编号相交）。",
};
pub const LEDGER_SAME_SERIAL: Rule = Rule {
    code: "LEDGER_SAME_SERIAL",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: NO_DOUBLE_COUNT,
    en: "The same serial is already recorded.",
    zh: "相同的序列号已登记。",
};
pub const LEDGER_RECORDED_OVERLAP: Rule = Rule {
    code: "LEDGER_RECORDED_OVERLAP",
    severity: Severity::Error,
    excludes: true,
    refuses: false,
    confirmed: true,
    citation: NO_DOUBLE_COUNT,
    en: "The project already holds two blocks that overlap (written outside Lingtan or before this check): the later one is left out until one is voided.",
    zh: "项目中已有两个相互重叠的区块（在本软件之外或本检查之前写入）：较晚登记的区块在作废其一之前不予计入。",
};
pub const LEDGER_SPLIT_INVALID: Rule = Rule {
    code: "LEDGER_SPLIT_INVALID",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "A retirement takes whole units of one block (Verra, Gold Standard and CDM retire sub-ranges of an issuance)",
    en: "The part to retire is not inside the block: zero, more than the block holds, or a range outside it.",
    zh: "拟注销部分不在该区块内：为零、超过区块数量或区间超出区块。",
};
pub const LEDGER_PARTS_MISMATCH: Rule = Rule {
    code: "LEDGER_PARTS_MISMATCH",
    severity: Severity::Error,
    excludes: true,
    refuses: true,
    confirmed: true,
    citation: "Partial retirement keeps every unit of the block exactly once",
    en: "The parts put in place of a block do not add up to it exactly, or a block id is already used.",
    zh: "替换区块的各部分合计与原区块不完全一致，或区块编号已被占用。",
};

/// The rules of this module.
pub const RULES: &[Rule] = &[
    LEDGER_OVERLAP,
    LEDGER_SAME_SERIAL,
    LEDGER_RECORDED_OVERLAP,
    LEDGER_SPLIT_INVALID,
    LEDGER_PARTS_MISMATCH,
];

/// Units of a recorded block that a new block also claims.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Overlap {
    pub block: BlockId,
    /// The recorded block's serial.
    pub serial: String,
    /// The overlapping sub-range, inclusive.
    pub first: u64,
    pub last: u64,
}

impl Overlap {
    pub fn quantity(&self) -> u64 {
        self.last - self.first + 1
    }
}

#[derive(Debug, Default)]
struct KeyIndex {
    /// (first unit, block) → last unit
    by_first: BTreeMap<(u64, BlockId), u64>,
    /// The recorded ranges of this key do not intersect (so a backward walk may stop early).
    disjoint: bool,
}

impl KeyIndex {
    fn overlaps(&self, first: u64, last: u64) -> Vec<(BlockId, u64, u64)> {
        let mut out = Vec::new();
        let candidates = self.by_first.range(..=(last, BlockId::MAX)).rev();
        for (&(f, id), &l) in candidates {
            if l < first {
                if self.disjoint {
                    break;
                }
                continue;
            }
            out.push((id, f.max(first), l.min(last)));
        }
        // by the first overlapping unit, then block id
        out.sort_unstable_by_key(|&(id, f, _)| (f, id));
        out
    }

    fn recompute_disjoint(&mut self) {
        let mut reach: Option<u64> = None;
        self.disjoint = true;
        for (&(f, _), &l) in &self.by_first {
            if reach.is_some_and(|r| f <= r) {
                self.disjoint = false;
                return;
            }
            reach = Some(reach.map_or(l, |r| r.max(l)));
        }
    }
}

/// The blocks of a project, indexed for double counting.
#[derive(Debug, Default)]
pub struct Ledger {
    blocks: HashMap<BlockId, Serial>,
    ranges: HashMap<(Registry, String), KeyIndex>,
    texts: HashMap<(Registry, String), BTreeSet<BlockId>>,
    /// The block each part was split from, first of its line (a block never split: itself).
    roots: HashMap<BlockId, BlockId>,
}

/// The serial as compared for "the same serial twice": upper case, without spaces (what a store
/// indexes to find the same serial).
pub fn serial_key(serial: &Serial) -> String {
    serial
        .serial
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

fn text_key(serial: &Serial) -> (Registry, String) {
    (serial.registry, serial_key(serial))
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Build the ledger from the blocks of a project (voided ones left out), in the order they
    /// were recorded. Overlaps already in the file are not refused (the file is what it is): each
    /// later block of an overlapping pair gets a [`LEDGER_RECORDED_OVERLAP`] check that excludes it.
    pub fn load(
        blocks: impl IntoIterator<Item = (BlockId, Serial)>,
    ) -> (Ledger, Vec<(BlockId, Check)>) {
        Ledger::load_parts(blocks.into_iter().map(|(id, s)| (id, id, s)))
    }

    /// [`Ledger::load`] for blocks some of which are parts of a split: `(id, root, serial)`, the
    /// root being the block the part was first split from (itself for a block never split).
    /// Parts of one root never count as the same serial twice: a block without a range keeps
    /// its serial in both parts of a partial retirement (the registry writes no sub-range).
    pub fn load_parts(
        blocks: impl IntoIterator<Item = (BlockId, BlockId, Serial)>,
    ) -> (Ledger, Vec<(BlockId, Check)>) {
        let mut ledger = Ledger::new();
        let mut checks = Vec::new();
        for (id, root, serial) in blocks {
            let problem = ledger.refusal_within(&serial, Some(root)).err();
            if let Some(r) = problem {
                checks.push((
                    id,
                    Check::new(
                        &LEDGER_RECORDED_OVERLAP,
                        format!("{} — this block is left out of the figures until one of the two is voided", r.en),
                        format!("{}——在作废其中之一之前，该区块不计入", r.zh),
                    ),
                ));
            }
            if ledger.blocks.contains_key(&id) {
                continue;
            }
            ledger.roots.insert(id, root);
            ledger.insert(id, serial);
        }
        (ledger, checks)
    }

    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    pub fn get(&self, id: BlockId) -> Option<&Serial> {
        self.blocks.get(&id)
    }

    /// The recorded units that `serial` also claims, ordered by their first unit, then block.
    pub fn overlaps(&self, serial: &Serial) -> Vec<Overlap> {
        let Some((first, last)) = serial.range() else {
            return Vec::new();
        };
        let Some(index) = self
            .ranges
            .get(&(serial.registry, serial.block_key.clone()))
        else {
            return Vec::new();
        };
        index
            .overlaps(first, last)
            .into_iter()
            .map(|(block, first, last)| Overlap {
                block,
                serial: self
                    .blocks
                    .get(&block)
                    .map(|s| s.serial.clone())
                    .unwrap_or_default(),
                first,
                last,
            })
            .collect()
    }

    /// The block recorded with the same serial (and the same range, for a serial whose range is
    /// given apart), if any.
    pub fn same_serial(&self, serial: &Serial) -> Option<BlockId> {
        self.same_serial_within(serial, None)
    }

    fn same_serial_within(&self, serial: &Serial, root: Option<BlockId>) -> Option<BlockId> {
        self.texts.get(&text_key(serial)).and_then(|ids| {
            ids.iter().copied().find(|id| {
                root.is_none_or(|r| self.roots.get(id).copied().unwrap_or(*id) != r)
                    && self
                        .blocks
                        .get(id)
                        .is_some_and(|s| s.range() == serial.range() || serial.range().is_none())
            })
        })
    }

    /// Would `serial` be accepted? The refusal names the other block and the overlapping units.
    pub fn refusal(&self, serial: &Serial) -> Result<(), Refusal> {
        self.refusal_within(serial, None)
    }

    fn refusal_within(&self, serial: &Serial, root: Option<BlockId>) -> Result<(), Refusal> {
        if let Some(other) = self.same_serial_within(serial, root) {
            return Err(Refusal::of(
                &LEDGER_SAME_SERIAL,
                "serial",
                format!("serial: {} is already recorded as credit #{other}; a credit can be recorded once (void the other first if it was a mistake)", serial.label()),
                format!("序列号：{} 已登记为信用 #{other}；同一信用只能登记一次（若原记录有误，请先作废）", serial.label()),
            ));
        }
        let overlaps = self.overlaps(serial);
        if overlaps.is_empty() {
            return Ok(());
        }
        let shown: Vec<&Overlap> = overlaps.iter().take(3).collect();
        let more = overlaps.len() - shown.len();
        let list_en = shown
            .iter()
            .map(|o| {
                format!(
                    "units {}–{} ({} t) of credit #{} ({})",
                    o.first,
                    o.last,
                    o.quantity(),
                    o.block,
                    o.serial
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let list_zh = shown
            .iter()
            .map(|o| {
                format!(
                    "信用 #{}（{}）的单位 {}–{}（{} 吨）",
                    o.block,
                    o.serial,
                    o.first,
                    o.last,
                    o.quantity()
                )
            })
            .collect::<Vec<_>>()
            .join("；");
        let (more_en, more_zh) = if more > 0 {
            (
                format!(" and {more} more blocks"),
                format!("及另外 {more} 个区块"),
            )
        } else {
            (String::new(), String::new())
        };
        Err(Refusal::of(
            &LEDGER_OVERLAP,
            "serial",
            format!("serial: {} overlaps {list_en}{more_en} already recorded; a unit can be claimed once — check the serial against the registry record", serial.label()),
            format!("序列号：{} 与已登记的{list_zh}{more_zh}重叠；每个单位只能使用一次——请与登记处记录核对序列号", serial.label()),
        ))
    }

    /// Record a block, refusing a double count.
    pub fn add(&mut self, id: BlockId, serial: Serial) -> Result<(), Refusal> {
        if self.blocks.contains_key(&id) {
            return Err(Refusal::of(
                &LEDGER_PARTS_MISMATCH,
                "id",
                format!("credit #{id} is already in the ledger"),
                format!("信用 #{id} 已在台账中"),
            ));
        }
        self.refusal(&serial)?;
        self.insert(id, serial);
        Ok(())
    }

    fn insert(&mut self, id: BlockId, serial: Serial) {
        if let Some((first, last)) = serial.range() {
            let index = self
                .ranges
                .entry((serial.registry, serial.block_key.clone()))
                .or_insert_with(|| KeyIndex {
                    by_first: BTreeMap::new(),
                    disjoint: true,
                });
            if index.disjoint && !index.overlaps(first, last).is_empty() {
                index.disjoint = false;
            }
            index.by_first.insert((first, id), last);
        }
        self.texts.entry(text_key(&serial)).or_default().insert(id);
        self.blocks.insert(id, serial);
    }

    /// Take a block out (it was voided).
    pub fn remove(&mut self, id: BlockId) -> Option<Serial> {
        let serial = self.blocks.remove(&id)?;
        self.roots.remove(&id);
        if let Some(first) = serial.first {
            let key = (serial.registry, serial.block_key.clone());
            if let Some(index) = self.ranges.get_mut(&key) {
                index.by_first.remove(&(first, id));
                if !index.disjoint {
                    index.recompute_disjoint();
                }
                if index.by_first.is_empty() {
                    self.ranges.remove(&key);
                }
            }
        }
        let tk = text_key(&serial);
        if let Some(ids) = self.texts.get_mut(&tk) {
            ids.remove(&id);
            if ids.is_empty() {
                self.texts.remove(&tk);
            }
        }
        Some(serial)
    }

    /// Put `parts` in place of block `id`, when they tile it exactly: same registry and block
    /// key, quantities adding up to the block, ranges covering it without gap or overlap. A part
    /// may reuse `id`; other ids must be new.
    pub fn replace(&mut self, id: BlockId, parts: Vec<(BlockId, Serial)>) -> Result<(), Refusal> {
        let mismatch = |en: String, zh: String| Refusal::of(&LEDGER_PARTS_MISMATCH, "qty", en, zh);
        let Some(block) = self.blocks.get(&id) else {
            return Err(mismatch(
                format!("credit #{id} is not in the ledger"),
                format!("信用 #{id} 不在台账中"),
            ));
        };
        let mut ids = BTreeSet::new();
        for (pid, part) in &parts {
            if (*pid != id && self.blocks.contains_key(pid)) || !ids.insert(*pid) {
                return Err(mismatch(
                    format!("block id #{pid} is already used"),
                    format!("区块编号 #{pid} 已被占用"),
                ));
            }
            if part.registry != block.registry || part.block_key != block.block_key {
                return Err(mismatch(
                    format!("{} is not part of {}", part.label(), block.label()),
                    format!("{} 不属于 {}", part.label(), block.label()),
                ));
            }
        }
        let total: u128 = parts.iter().map(|(_, p)| u128::from(p.quantity)).sum();
        if parts.is_empty() || total != u128::from(block.quantity) {
            return Err(mismatch(
                format!(
                    "the parts hold {total} t but credit #{id} holds {} t",
                    block.quantity
                ),
                format!(
                    "各部分合计 {total} 吨，而信用 #{id} 为 {} 吨",
                    block.quantity
                ),
            ));
        }
        if let Some((first, last)) = block.range() {
            let mut ranges: Vec<(u64, u64)> = Vec::with_capacity(parts.len());
            for (_, p) in &parts {
                match p.range() {
                    Some(r) => ranges.push(r),
                    None => {
                        return Err(mismatch(
                            format!("{} has no range but credit #{id} has", p.label()),
                            format!("{} 不含区间，而信用 #{id} 含区间", p.label()),
                        ))
                    }
                }
            }
            ranges.sort_unstable();
            let mut next = first;
            for (a, b) in &ranges {
                if *a != next || b < a {
                    return Err(mismatch(
                        format!("the parts do not cover units {first}–{last} of credit #{id} exactly once (a gap or an overlap at {next})"),
                        format!("各部分未恰好覆盖信用 #{id} 的单位 {first}–{last} 各一次（在 {next} 处有缺口或重叠）"),
                    ));
                }
                next = b.saturating_add(1);
            }
            if next != last.saturating_add(1) {
                return Err(mismatch(
                    format!(
                        "the parts end at {} but credit #{id} ends at {last}",
                        next.saturating_sub(1)
                    ),
                    format!(
                        "各部分止于 {}，而信用 #{id} 止于 {last}",
                        next.saturating_sub(1)
                    ),
                ));
            }
        }
        let root = self.roots.get(&id).copied().unwrap_or(id);
        self.remove(id);
        for (pid, part) in parts {
            self.roots.insert(pid, root);
            self.insert(pid, part);
        }
        Ok(())
    }
}

/// Which part of a block a retirement takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The first `n` units (registries retire from the start of a block).
    Quantity(u64),
    /// The units named on the registry's retirement statement.
    Range { first: u64, last: u64 },
}

/// A block split by a retirement: the retired part and the rest (none, one, or two parts when a
/// middle range is retired), each with its own serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub retired: Serial,
    pub rest: Vec<Serial>,
}

impl Split {
    pub fn quantity(&self) -> u64 {
        self.retired.quantity + self.rest.iter().map(|s| s.quantity).sum::<u64>()
    }
}

/// Split `block` for a retirement of `part`.
pub fn split(block: &Serial, part: Part) -> Result<Split, Refusal> {
    let refuse = |field: &str, en: String, zh: String| {
        Err(Refusal::of(&LEDGER_SPLIT_INVALID, field, en, zh))
    };
    match (part, block.range()) {
        (Part::Quantity(0), _) => refuse(
            "qty",
            "qty: retiring 0 t retires nothing; give a whole number of tonnes of at least 1".into(),
            "数量：注销 0 吨没有意义；请填写至少 1 吨的整数".into(),
        ),
        (Part::Quantity(q), _) if q > block.quantity => refuse(
            "qty",
            format!(
                "qty: {q} t is more than the {} t the block {} holds",
                block.quantity,
                block.label()
            ),
            format!(
                "数量：{q} 吨超过区块 {} 的 {} 吨",
                block.label(),
                block.quantity
            ),
        ),
        (Part::Quantity(q), Some((first, _))) => {
            let end = first + (q - 1);
            split(block, Part::Range { first, last: end })
        }
        (Part::Quantity(q), None) => Ok(Split {
            retired: block.with_quantity(q),
            rest: if q < block.quantity {
                vec![block.with_quantity(block.quantity - q)]
            } else {
                Vec::new()
            },
        }),
        (Part::Range { first, last }, Some((a, b))) => {
            let Some(retired) = block.with_range(first, last) else {
                return refuse(
                    "first",
                    format!(
                        "first/last: units {first}–{last} are not inside the block {} ({a}–{b})",
                        block.label()
                    ),
                    format!(
                        "首位/末位：单位 {first}–{last} 不在区块 {}（{a}–{b}）之内",
                        block.label()
                    ),
                );
            };
            let mut rest = Vec::new();
            if first > a {
                rest.extend(block.with_range(a, first - 1));
            }
            if last < b {
                rest.extend(block.with_range(last + 1, b));
            }
            Ok(Split { retired, rest })
        }
        (Part::Range { .. }, None) => refuse(
            "first",
            format!(
                "first/last: the block {} has no range of units; retire a quantity instead",
                block.label()
            ),
            format!(
                "首位/末位：区块 {} 不含单位区间；请按数量注销",
                block.label()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offset::serial::{read, Given};

    fn verra(first: u64, last: u64, issuance: u32) -> Serial {
        read(
            Registry::Verra,
            &format!("{issuance}-{first}-{last}-VCS-VCU-1491-VER-RW-3-4150-01102024-31122024-1"),
            &Given::default(),
        )
        .unwrap()
    }

    #[test]
    fn an_overlap_is_refused_naming_the_other_block_and_the_units() {
        let mut l = Ledger::new();
        l.add(1, verra(936_487_628, 936_491_271, 19309)).unwrap();
        let e = l
            .add(2, verra(936_491_000, 936_491_452, 19309))
            .unwrap_err();
        assert_eq!(
            e.code, "LEDGER_OVERLAP",
            "an overlap is refused naming the other block and the units"
        );
        assert!(
            e.en.contains("units 936491000–936491271 (272 t) of credit #1"),
            "names the other block and the overlapping units: {}",
            e.en
        );
        assert!(
            e.zh.contains("信用 #1"),
            "an overlap is refused naming the other block and the units"
        );
        assert_eq!(l.len(), 1, "a refusal changes nothing");
        l.add(3, verra(936_491_272, 936_491_452, 19309))
            .expect("touching is not overlapping");
        l.add(4, verra(936_487_628, 936_491_271, 19310))
            .expect("another issuance is another block");
    }

    #[test]
    fn the_same_verbatim_serial_twice_is_refused() {
        let ccer = |q: u32| {
            read(
                Registry::Ccer,
                "CCER-2025-000123",
                &Given {
                    qty: Some(q.into()),
                    ..Given::default()
                },
            )
            .unwrap()
        };
        let mut l = Ledger::new();
        l.add(1, ccer(100)).unwrap();
        let e = l.add(2, ccer(50)).unwrap_err();
        assert_eq!(
            e.code, "LEDGER_SAME_SERIAL",
            "the same verbatim serial twice is refused"
        );
        assert!(
            e.en.contains("credit #1"),
            "the same verbatim serial twice is refused: {}",
            e.en
        );
    }

    #[test]
    fn overlaps_already_in_a_file_are_reported_and_still_caught() {
        let (l, checks) = Ledger::load([
            (1, verra(100, 1000, 1)),
            (2, verra(500, 600, 1)),
            (3, verra(2000, 3000, 1)),
        ]);
        assert_eq!(checks.len(), 1, "block 2 overlaps block 1");
        assert_eq!(
            checks[0].0, 2,
            "overlaps already in a file are reported and still caught"
        );
        assert!(
            checks[0].1.excludes,
            "overlaps already in a file are reported and still caught"
        );
        // 700–800 lies inside block 1 but after block 2 ends: a walk that stops at block 2
        // would miss it
        let found = l.overlaps(&verra(700, 800, 1));
        assert_eq!(
            found.len(),
            1,
            "overlaps already in a file are reported and still caught: {found:?}"
        );
        assert_eq!(
            (found[0].block, found[0].first, found[0].last),
            (1, 700, 800),
            "overlaps already in a file are reported and still caught"
        );
    }

    #[test]
    fn a_partial_retirement_splits_a_block_and_the_parts_replace_it() {
        let mut l = Ledger::new();
        let block = verra(936_487_628, 936_491_271, 19309);
        l.add(7, block.clone()).unwrap();
        let s = split(&block, Part::Quantity(1000)).unwrap();
        assert_eq!(
            s.retired.range(),
            Some((936_487_628, 936_488_627)),
            "a partial retirement splits a block and the parts replace it"
        );
        assert_eq!(
            s.rest[0].range(),
            Some((936_488_628, 936_491_271)),
            "a partial retirement splits a block and the parts replace it"
        );
        assert_eq!(
            s.quantity(),
            block.quantity,
            "the parts add up to the block"
        );
        let e = l
            .replace(7, vec![(7, s.retired.clone())])
            .expect_err("a part missing");
        assert_eq!(
            e.code, "LEDGER_PARTS_MISMATCH",
            "a partial retirement splits a block and the parts replace it"
        );
        l.replace(7, vec![(7, s.retired.clone()), (8, s.rest[0].clone())])
            .unwrap();
        assert_eq!(
            l.len(),
            2,
            "a partial retirement splits a block and the parts replace it"
        );
        assert_eq!(
            l.add(9, block).unwrap_err().code,
            "LEDGER_OVERLAP",
            "the whole block again overlaps both parts"
        );
        let too_much = split(&s.retired, Part::Quantity(1001)).unwrap_err();
        assert_eq!(
            too_much.code, "LEDGER_SPLIT_INVALID",
            "a partial retirement splits a block and the parts replace it"
        );
    }

    #[test]
    fn the_parts_of_a_split_block_without_range_load_without_a_false_double_count() {
        let ccer = |q: u32| {
            read(
                Registry::Ccer,
                "CCER-2025-000123",
                &Given {
                    qty: Some(q.into()),
                    ..Given::default()
                },
            )
            .unwrap()
        };
        let block = ccer(100);
        let s = split(&block, Part::Quantity(40)).unwrap();
        assert_eq!(s.retired.serial, s.rest[0].serial, "no sub-range to write");
        let (l, checks) =
            Ledger::load_parts([(2, 1, s.retired.clone()), (3, 1, s.rest[0].clone())]);
        assert!(
            checks.is_empty(),
            "two parts of block #1 are one block split, not the same serial twice: {checks:?}"
        );
        assert_eq!(l.len(), 2);
        assert_eq!(
            l.refusal(&ccer(100)).unwrap_err().code,
            "LEDGER_SAME_SERIAL",
            "a new block with that serial is still refused"
        );
        let (_, checks) = Ledger::load([(2, s.retired), (3, s.rest[0].clone())]);
        assert_eq!(
            checks.len(),
            1,
            "without the parts' root they would read as the same serial twice"
        );
    }

    #[test]
    fn a_middle_range_leaves_two_rests() {
        let block = verra(100, 199, 5);
        let s = split(
            &block,
            Part::Range {
                first: 120,
                last: 129,
            },
        )
        .unwrap();
        let ranges: Vec<_> = s.rest.iter().map(|r| r.range().unwrap()).collect();
        assert_eq!(
            ranges,
            vec![(100, 119), (130, 199)],
            "a middle range leaves two rests"
        );
        assert_eq!(s.quantity(), 100, "a middle range leaves two rests");
        assert!(
            split(
                &block,
                Part::Range {
                    first: 190,
                    last: 210
                }
            )
            .is_err(),
            "a middle range leaves two rests"
        );
    }
}
