//! The certification documents (零碳认证) as a typed document: the statement of the framework
//! (ISO 14068-1's carbon neutrality statement; PAS 2060's declaration and its qualifying
//! explanatory statement; T/CECA-G 0171's self-evaluation), the commitment when one is stated,
//! the management plan and the framework's checks — in Chinese, English or both, rendered to PDF
//! and text like the inventory report. While any check fails, or an element of the QES is missing,
//! every page says DRAFT and the first section lists why. The data are core's (`lingtan_core::claim::documents`); nothing is decided
//! here.

use crate::doc::{t3, Align, Block, Column, Document, Table};
use crate::Langs;
use lingtan_core::claim::documents::{
    Commitment, DeclarationDoc, Draft, ManagementPlan, Qes, QesValue, SelfEvaluation, Statement,
};
use lingtan_core::claim::{CheckStatus, Claim, Text};
use lingtan_core::Decimal;

/// What the documents are made of (the workbench computes it from the project).
#[derive(Debug, Clone)]
pub struct ClaimDocs {
    pub org: String,
    pub claim: Claim,
    pub plan: ManagementPlan,
    /// ISO 14068-1.
    pub statement: Option<Statement>,
    pub commitment: Option<Commitment>,
    /// PAS 2060.
    pub declaration: Option<DeclarationDoc>,
    pub qes: Option<Qes>,
    /// T/CECA-G 0171.
    pub self_evaluation: Option<SelfEvaluation>,
    /// YYYY-MM-DD: the statement date, else the period's end (never the clock).
    pub date: String,
}

impl ClaimDocs {
    /// A draft while a check fails or an element of the QES is missing (a PAS 2060 QES without
    /// one of its elements cannot be handed over, even when every check passes): each failing
    /// check, then each missing element, is a reason.
    pub fn draft(&self) -> Draft {
        let mut draft = Draft::of(&self.claim);
        draft
            .reasons
            .extend(self.qes.iter().flat_map(Qes::missing_reasons));
        draft.draft = !draft.reasons.is_empty();
        draft
    }
}

fn col(title: String, align: Align, weight: u32) -> Column {
    Column {
        title,
        align,
        weight,
    }
}

fn opt(d: Option<Decimal>, lang: Langs) -> String {
    d.map(t3)
        .unwrap_or_else(|| lang.pick("not shown", "未显示"))
}

fn pct(d: Option<Decimal>, lang: Langs) -> String {
    d.map(|v| format!("{} %", lingtan_core::claim::show_pct(v)))
        .unwrap_or_else(|| lang.pick("not computable", "无法计算"))
}

/// The documents of a claim as one document.
pub fn document(d: &ClaimDocs, lang: Langs) -> Document {
    let t = |x: &Text| lang.pick(&x.en, &x.zh);
    let l = |en: &str, zh: &str| lang.pick(en, zh);
    let c = &d.claim;
    let missing = l("not stated", "未填写");
    let draft = d.draft();
    let heading = if let Some(s) = &d.statement {
        t(&s.heading)
    } else if let Some(q) = &d.declaration {
        t(&q.heading)
    } else if let Some(s) = &d.self_evaluation {
        t(&s.heading)
    } else {
        t(&d.plan.heading)
    };
    let title = if draft.draft {
        format!("{} — {heading}", l("DRAFT", "草稿"))
    } else {
        heading.clone()
    };
    let mut blocks = vec![Block::Cover {
        title: title.clone(),
        lines: vec![
            d.org.clone(),
            format!("{} ({})", c.designation, c.edition),
            format!("{} {}", l("Period", "期间"), c.period.label()),
            format!("{} {}", l("Date", "日期"), d.date),
        ],
    }];
    if draft.draft {
        blocks.push(Block::Heading {
            level: 1,
            text: l("DRAFT: not ready to be claimed", "草稿：尚不能声明"),
        });
        blocks.push(Block::Paragraph(l(
            "These documents are marked DRAFT because a framework check below fails or an element of the statement is missing. Each reason is listed here; what to do is in the checks and the statement's elements.",
            "以下框架检查未通过或声明缺少要素，故本文件标为草稿。各项原因列于此处；待办事项见检查一节及声明各要素。",
        )));
        for r in &draft.reasons {
            blocks.push(Block::Paragraph(format!("• {}", t(r))));
        }
    }

    // --- the statement of the framework
    if let Some(s) = &d.statement {
        blocks.push(Block::Heading {
            level: 1,
            text: t(&s.heading),
        });
        blocks.push(Block::Paragraph(t(&s.text)));
        blocks.push(Block::Fields(vec![
            (t(&s.subject_tco2e.label), t3(s.subject_tco2e.value)),
            (
                t(&s.reductions_tco2e.label),
                opt(s.reductions_tco2e.value, lang),
            ),
            (t(&s.eac_tco2e.label), t3(s.eac_tco2e.value)),
            (t(&s.credits_tco2e.label), t3(s.credits_tco2e.value)),
            (t(&s.coverage_pct.label), pct(s.coverage_pct.value, lang)),
            (
                t(&s.verification.label),
                s.verification
                    .value
                    .as_ref()
                    .map(t)
                    .unwrap_or(missing.clone()),
            ),
            (
                t(&s.date.label),
                s.date
                    .value
                    .map(|d| d.to_string())
                    .unwrap_or(missing.clone()),
            ),
            (
                t(&s.senior.label),
                s.senior.value.clone().unwrap_or(missing.clone()),
            ),
            (
                t(&s.published_at.label),
                s.published_at.value.clone().unwrap_or(missing.clone()),
            ),
        ]));
        credits_table(&mut blocks, &t(&s.credits.label), &s.credits.value, lang);
    }
    if let Some(q) = &d.declaration {
        blocks.push(Block::Heading {
            level: 1,
            text: t(&q.heading),
        });
        blocks.push(Block::Paragraph(t(&q.text)));
        blocks.push(Block::Fields(vec![
            (
                t(&q.date.label),
                q.date
                    .value
                    .map(|d| d.to_string())
                    .unwrap_or(missing.clone()),
            ),
            (
                t(&q.validation.label),
                q.validation
                    .value
                    .as_ref()
                    .map(t)
                    .unwrap_or(missing.clone()),
            ),
            (
                t(&q.senior.label),
                q.senior.value.clone().unwrap_or(missing.clone()),
            ),
        ]));
    }
    if let Some(q) = &d.qes {
        qes(&mut blocks, q, lang);
    }
    if let Some(s) = &d.self_evaluation {
        blocks.push(Block::Heading {
            level: 1,
            text: t(&s.heading),
        });
        let f = &s.figures.value;
        blocks.push(Block::Fields(vec![
            (
                l("Subject (tCO2e)", "声明对象排放（tCO2e）"),
                t3(f.subject_tco2e),
            ),
            (
                l("Credits counted (tCO2e)", "计入的碳信用（tCO2e）"),
                t3(f.credits_tco2e),
            ),
            (
                l("Removals (tCO2e)", "清除量（tCO2e）"),
                t3(f.removals_tco2e),
            ),
            (
                l("Renewable share of energy", "可再生能源占能源消费比例"),
                pct(f.renewable_energy_pct, lang),
            ),
            (
                l("Green-power share of electricity", "绿电占用电量比例"),
                pct(f.green_power_pct, lang),
            ),
            (l("Offset ratio", "抵消比例"), pct(f.offset_pct, lang)),
            (
                t(&s.scoring.label),
                s.scoring
                    .value
                    .as_ref()
                    .map(|k| format!("{} / {}", t3(k.total), t3(k.maximum)))
                    .unwrap_or(missing.clone()),
            ),
            (
                t(&s.star_level.label),
                s.star_level
                    .value
                    .map(|v| format!("{v}★"))
                    .unwrap_or(missing.clone()),
            ),
        ]));
        for star in &s.stars.value {
            blocks.push(Block::Paragraph(format!(
                "{}★ {}",
                star.level,
                t(&star.found)
            )));
        }
        blocks.push(Block::Paragraph(t(&s.note)));
    }
    if let Some(k) = &d.commitment {
        blocks.push(Block::Heading {
            level: 1,
            text: t(&k.heading),
        });
        blocks.push(Block::Paragraph(t(&k.text)));
    }

    // --- the management plan
    plan(&mut blocks, &d.plan, lang);

    // --- the checks
    blocks.push(Block::Heading {
        level: 1,
        text: l("The framework's checks", "框架检查"),
    });
    blocks.push(Block::Paragraph(format!(
        "{} {}. {}",
        c.designation,
        c.period.label(),
        if c.ready {
            l("Ready: no check fails.", "可以声明：没有未通过的检查。")
        } else {
            l("Not ready: a check fails.", "尚不能声明：有未通过的检查。")
        }
    )));
    let rows: Vec<Vec<String>> = c
        .checks
        .iter()
        .map(|k| {
            let mark = match k.status {
                CheckStatus::Pass => l("pass", "通过"),
                CheckStatus::Warn => l("warn", "警告"),
                CheckStatus::Fail => l("FAIL", "未通过"),
            };
            let clause = if k.confirmed {
                t(&k.clause)
            } else {
                format!("{} ({})", t(&k.clause), l("unconfirmed", "未经确认"))
            };
            let mut found = t(&k.found);
            if let Some(todo) = &k.todo {
                found = format!("{found} {} {}", l("To do:", "待办："), t(todo));
            }
            vec![format!("{} {}", k.code, t(&k.title)), clause, mark, found]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Check", "检查"), Align::Left, 3),
            col(lang.stack("Clause", "条款"), Align::Left, 3),
            col(lang.stack("Status", "结果"), Align::Left, 1),
            col(lang.stack("Found", "发现"), Align::Left, 5),
        ],
        rows,
        total: false,
    }));
    for n in &c.notes {
        blocks.push(Block::Paragraph(format!(
            "{} {} ({})",
            l("Note:", "注："),
            t(&n.text),
            n.source
        )));
    }
    Document {
        lang,
        title,
        subject: format!("{} {}", c.designation, c.period.label()),
        author: d.org.clone(),
        keywords: format!("{}, {}", c.edition, l("carbon neutrality", "碳中和")),
        date: d.date.clone(),
        blocks,
    }
}

fn credits_table(
    blocks: &mut Vec<Block>,
    heading: &str,
    credits: &[lingtan_core::claim::documents::CreditLine],
    lang: Langs,
) {
    blocks.push(Block::Heading {
        level: 2,
        text: heading.to_string(),
    });
    if credits.is_empty() {
        blocks.push(Block::Paragraph(lang.pick("None.", "无。")));
        return;
    }
    let rows: Vec<Vec<String>> = credits
        .iter()
        .map(|k| {
            vec![
                k.registry.clone().unwrap_or_default(),
                k.serial.clone(),
                k.project.clone().unwrap_or_default(),
                k.vintage.clone().unwrap_or_default(),
                k.retired.map(|d| d.to_string()).unwrap_or_default(),
                t3(k.tco2e),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Registry", "登记处"), Align::Left, 1),
            col(lang.stack("Serial", "序列号"), Align::Left, 5),
            col(lang.stack("Project", "项目"), Align::Left, 2),
            col(lang.stack("Vintage", "年份"), Align::Left, 2),
            col(lang.stack("Retired", "注销日期"), Align::Left, 2),
            col(lang.stack("tCO2e", "tCO2e"), Align::Right, 1),
        ],
        rows,
        total: false,
    }));
}

fn qes(blocks: &mut Vec<Block>, q: &Qes, lang: Langs) {
    let t = |x: &Text| lang.pick(&x.en, &x.zh);
    blocks.push(Block::Heading {
        level: 1,
        text: t(&q.heading),
    });
    let rows: Vec<Vec<String>> = q
        .elements
        .iter()
        .map(|e| {
            let value = match &e.value {
                QesValue::Given { text } => t(text),
                QesValue::Missing { what } => {
                    format!("{} {}", lang.pick("MISSING:", "缺失："), t(what))
                }
            };
            vec![t(&e.label), t(&e.clause), value]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Element", "要素"), Align::Left, 2),
            col(lang.stack("Clause", "条款"), Align::Left, 2),
            col(lang.stack("In this claim", "本声明"), Align::Left, 5),
        ],
        rows,
        total: false,
    }));
    blocks.push(Block::Paragraph(t(&q.note)));
}

fn plan(blocks: &mut Vec<Block>, p: &ManagementPlan, lang: Langs) {
    let t = |x: &Text| lang.pick(&x.en, &x.zh);
    let l = |en: &str, zh: &str| lang.pick(en, zh);
    let missing = l("not stated", "未填写");
    blocks.push(Block::Heading {
        level: 1,
        text: t(&p.heading),
    });
    blocks.push(Block::Fields(vec![
        (l("Entity", "组织"), t(&p.entity)),
        (l("Subject", "声明对象"), t(&p.subject)),
        (
            t(&p.baseline.label),
            p.baseline
                .value
                .map(|b| format!("{} — {} tCO2e", b.year, t3(b.tco2e)))
                .unwrap_or(missing.clone()),
        ),
        (
            t(&p.commitment_year.label),
            p.commitment_year
                .value
                .map(|y| y.to_string())
                .unwrap_or(missing.clone()),
        ),
        (
            t(&p.reviewed.label),
            p.reviewed
                .value
                .map(|d| d.to_string())
                .unwrap_or(missing.clone()),
        ),
        (
            t(&p.removals_only_from.label),
            p.removals_only_from
                .value
                .map(|y| y.to_string())
                .unwrap_or(missing.clone()),
        ),
    ]));
    blocks.push(Block::Heading {
        level: 2,
        text: t(&p.targets.label),
    });
    let rows: Vec<Vec<String>> = p
        .targets
        .value
        .iter()
        .map(|x| {
            vec![
                x.label.clone(),
                x.scopes.clone(),
                format!("{} → {}", x.base_year, x.target_year),
                format!("−{} %", lingtan_core::claim::show_pct(x.reduction_pct)),
                x.milestones
                    .iter()
                    .map(|(y, a)| match a {
                        Some(a) => format!("{y}: {}", t3(*a)),
                        None => y.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Target", "目标"), Align::Left, 2),
            col(lang.stack("Scopes", "范围"), Align::Left, 1),
            col(lang.stack("Years", "年份"), Align::Left, 1),
            col(lang.stack("Cut", "减排"), Align::Right, 1),
            col(
                lang.stack(
                    "Intermediate years (allowed tCO2e)",
                    "中间年份（允许排放 tCO2e）",
                ),
                Align::Left,
                5,
            ),
        ],
        rows,
        total: false,
    }));
    blocks.push(Block::Heading {
        level: 2,
        text: t(&p.measures.label),
    });
    let rows: Vec<Vec<String>> = p
        .measures
        .value
        .iter()
        .map(|m| {
            vec![
                m.label.clone(),
                m.status.code().to_string(),
                m.start.map(|s| s.to_string()).unwrap_or_default(),
                m.planned_tco2e.map(t3).unwrap_or_default(),
                m.achieved_tco2e.map(t3).unwrap_or_default(),
            ]
        })
        .collect();
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Measure", "措施"), Align::Left, 3),
            col(lang.stack("Status", "状态"), Align::Left, 1),
            col(lang.stack("Start", "开始"), Align::Left, 1),
            col(
                lang.stack("Expected tCO2e/yr", "预期减排 tCO2e/年"),
                Align::Right,
                2,
            ),
            col(
                lang.stack("Achieved tCO2e", "实际减排 tCO2e"),
                Align::Right,
                2,
            ),
        ],
        rows,
        total: false,
    }));
    blocks.push(Block::Heading {
        level: 2,
        text: t(&p.offset_strategy.label),
    });
    let mut rows: Vec<Vec<String>> = p
        .offset_strategy
        .value
        .iter()
        .map(|o| {
            vec![
                o.description.clone(),
                o.year.map(|y| y.to_string()).unwrap_or_default(),
                t3(o.tco2e),
            ]
        })
        .collect();
    rows.push(vec![
        l("Total", "合计"),
        String::new(),
        t3(p.offset_total_tco2e),
    ]);
    blocks.push(Block::Table(Table {
        columns: vec![
            col(lang.stack("Credits", "碳信用"), Align::Left, 4),
            col(lang.stack("Year", "年份"), Align::Left, 1),
            col(lang.stack("tCO2e", "tCO2e"), Align::Right, 2),
        ],
        rows,
        total: true,
    }));
    blocks.push(Block::Heading {
        level: 2,
        text: t(&p.monitoring.label),
    });
    for m in &p.monitoring.value {
        blocks.push(Block::Paragraph(format!("• {}", t(m))));
    }
}
