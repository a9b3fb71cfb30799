//! The dossier's one PDF (`dossier.pdf`): the claim's documents first — the statement (ISO
//! 14068-1), the declaration and its QES (PAS 2060) or the self-evaluation (T/CECA-G 0171), the
//! management plan and the framework's checks — then the inventory report with its reduction and
//! offset sections, as one document: one page numbering, one outline, one running header, which
//! says DRAFT on every page while a check of the claim fails.

use crate::claim::ClaimDocs;
use crate::data::Data;
use crate::doc::{self, Block, Document};
use crate::Langs;

/// The dossier's document: `claim`'s documents (when given) before `report`'s.
pub fn document(report: &Data, claim: Option<&ClaimDocs>, lang: Langs) -> Document {
    let report_doc = doc::build(report, lang);
    let Some(docs) = claim else {
        return report_doc;
    };
    let claim_doc = crate::claim::document(docs, lang);
    let org = doc::org_name(report, lang);
    let c = &docs.claim;
    let what = lang.pick("Certification dossier", "认证资料包");
    let draft = if docs.draft().draft {
        format!("{} — ", lang.pick("DRAFT", "草稿"))
    } else {
        String::new()
    };
    // what and when first: the running header keeps one line, and a long bilingual name is
    // what gets shortened, not the period
    let title = format!(
        "{draft}{what} {} ({}) — {org}",
        c.period.label(),
        c.designation
    );
    let mut blocks = claim_doc.blocks;
    blocks.push(Block::PageBreak);
    blocks.extend(report_doc.blocks);
    Document {
        lang,
        title,
        subject: format!("{} · {}", claim_doc.subject, report_doc.subject),
        author: report_doc.author,
        keywords: format!("{}; {}", claim_doc.keywords, report_doc.keywords),
        // the claim's date: its statement date, else the period's end
        date: claim_doc.date,
        blocks,
    }
}
