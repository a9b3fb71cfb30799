//! Every error and issue code, listed once with its meaning.
//!
//! A code is the stable key of a refusal ([`crate::error::Error`]), of a problem found in data
//! (an inventory's [`crate::issue::Issue`], an import's issue, a rule of the offset, reduction or
//! claim modules) and of the faces' own refusals: a script, a test or a translation may rely on
//! it. The test `codes` of this crate reads the workspace's source and fails when a code used
//! anywhere is missing here, or when a code listed here is used nowhere.

/// Where a code is raised first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// `lingtan_core`: the calculation and the offset, reduction and claim rules.
    Core,
    /// `lingtan_import`: the readers of bills and interval data.
    Import,
    /// `lingtan_store`: the project file.
    Store,
    /// `lingtan`: the workbench.
    Workbench,
    /// `lingtan_report`: the report's renderers.
    Report,
    /// The command line.
    Cli,
    /// The desktop.
    Desktop,
}

/// A code and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub layer: Layer,
    pub meaning: &'static str,
}

const fn c(code: &'static str, layer: Layer, meaning: &'static str) -> Code {
    Code {
        code,
        layer,
        meaning,
    }
}

/// The code's entry, if it is listed.
pub fn find(code: &str) -> Option<&'static Code> {
    ALL.iter().find(|c| c.code == code)
}

use Layer::*;

/// Every code, in alphabetical order.
pub const ALL: &[Code] = &[
    c(
        "ACHIEVED_EXPORT_UNKNOWN",
        Core,
        "achieved abatement: no export reading, all generation counted as self-consumed",
    ),
    c(
        "ACHIEVED_METER_INCONSISTENT",
        Core,
        "achieved abatement: generation and export readings do not give a self-consumption",
    ),
    c(
        "ACHIEVED_NOT_MEASURED",
        Workbench,
        "reduction: a finished measure's achieved abatement cannot be measured (no meter, no output data)",
    ),
    c(
        "ACHIEVED_NOT_NORMALISED",
        Core,
        "achieved abatement: no output figures, so it is the plain difference of activity",
    ),
    c(
        "ACHIEVED_NO_BASE_YEAR",
        Workbench,
        "reduction: achieved abatement needs a base year with data",
    ),
    c(
        "ACHIEVED_NO_FACTOR",
        Workbench,
        "reduction: achieved abatement needs the displaced source's factor",
    ),
    c(
        "ACHIEVED_NO_METER_DATA",
        Workbench,
        "reduction: the measure's meter has no readings in the year",
    ),
    c(
        "ACHIEVED_OVERLAP",
        Core,
        "achieved abatement: two measures act on the same source",
    ),
    c(
        "ACHIEVED_UNIT_MISMATCH",
        Core,
        "achieved abatement: the displaced source is not kept in an energy unit",
    ),
    c(
        "ACHIEVED_WHOLE_SOURCE",
        Workbench,
        "reduction: the achieved abatement is the whole source's change, not the measure's alone (disclosed)",
    ),
    c(
        "ACTIVITY_DUPLICATE",
        Core,
        "two records of a source look like the same consumption entered twice",
    ),
    c(
        "ACTIVITY_IMPLAUSIBLE",
        Core,
        "a stored record's quantity is beyond 10^15 and is left out of the inventory",
    ),
    c(
        "ACTIVITY_ORPHAN",
        Core,
        "a record refers to a source that does not exist",
    ),
    c(
        "ACTIVITY_OVERLAP",
        Core,
        "two records of a source cover overlapping periods",
    ),
    c(
        "ADJUSTMENT_ROW",
        Import,
        "an imported bill row has a negative quantity (a refund or correction)",
    ),
    c(
        "ALREADY_VOID",
        Workbench,
        "voiding a certificate or credit that is already void",
    ),
    c(
        "AMBIGUOUS_EAC",
        Workbench,
        "a certificate reference that matches more than one record; give its record number",
    ),
    c(
        "AMBITION_TWICE",
        Workbench,
        "reduction: a target given both a reduction and a pathway",
    ),
    c(
        "AMOUNT_IMPLAUSIBLE",
        Core,
        "a measure's amount is beyond what is plausible",
    ),
    c(
        "BAD_BOUNDARY",
        Workbench,
        "the organisational boundary is not one Lingtan knows",
    ),
    c(
        "BAD_CHANGE",
        Workbench,
        "reduction: a measure's change is not SOURCE=QTY UNIT",
    ),
    c(
        "BAD_CHOICE",
        Workbench,
        "a yes/no option answered with something else",
    ),
    c(
        "BAD_CLOCK",
        Workbench,
        "LINGTAN_NOW is not a valid RFC 3339 time",
    ),
    c("BAD_DATE", Workbench, "a date is not written as YYYY-MM-DD"),
    c(
        "BAD_DECIMAL",
        Workbench,
        "a number given is not a decimal number",
    ),
    c(
        "BAD_FACTOR",
        Workbench,
        "a factor given cannot be made into an emission factor",
    ),
    c("BAD_GAS", Cli, "a gas is not written as NAME=KG"),
    c("BAD_GWP", Workbench, "the GWP set is not AR6, AR5 or AR4"),
    c(
        "BAD_KIND",
        Workbench,
        "the import kind is not bill, interval or auto",
    ),
    c(
        "BAD_LANG",
        Cli,
        "the report language is not zh, en or zh+en",
    ),
    c(
        "BAD_LIFETIME",
        Workbench,
        "reduction: a lifetime that is not a whole number of years",
    ),
    c("BAD_MONTH", Core, "a month is not written as YYYY-MM"),
    c("BAD_NUMBER", Cli, "a multiplier is not a positive number"),
    c(
        "BAD_PERCENT",
        Workbench,
        "a percentage is outside 0 to 1000",
    ),
    c(
        "BAD_PRICE",
        Workbench,
        "reduction: a price that is not SOURCE=PRICE/UNIT",
    ),
    c(
        "BAD_QUANTITY",
        Workbench,
        "a quantity that must be a whole number of at least 1 is not",
    ),
    c(
        "BAD_REQUEST",
        Desktop,
        "the desktop received a request it does not know",
    ),
    c(
        "BAD_SCOPES",
        Workbench,
        "--scopes is neither 1+2 nor 1+2+3",
    ),
    c(
        "BAD_STORED_VALUE",
        Store,
        "a value stored in the project file cannot be read (changed outside Lingtan)",
    ),
    c(
        "BAD_VALUE",
        Cli,
        "a value given is not one of those accepted",
    ),
    c(
        "BAD_VINTAGE",
        Workbench,
        "a credit vintage that is neither YYYY nor YYYY-MM-DD..YYYY-MM-DD",
    ),
    c(
        "BAD_YEAR",
        Workbench,
        "a year is outside 1990 to 2100 or not a year",
    ),
    c(
        "BASE_YEAR_CHANGED",
        Core,
        "a target's base year differs from the project's base year",
    ),
    c(
        "BASE_YEAR_NO_DATA",
        Core,
        "the base year has no activity data",
    ),
    c(
        "BASE_YEAR_NO_OUTPUT",
        Core,
        "the base year has no output figure for an intensity target",
    ),
    c(
        "BASE_YEAR_UNCHANGED",
        Core,
        "a base-year recalculation gives the base year it already has",
    ),
    c(
        "BUSY",
        Desktop,
        "the desktop is already running an operation of this kind",
    ),
    c(
        "CANCELLED",
        Store,
        "a write was cancelled before it finished; nothing was changed",
    ),
    c(
        "CARBON_PRICE_IMPLAUSIBLE",
        Workbench,
        "reduction: a carbon price far beyond any market",
    ),
    c(
        "CELL_TOO_LONG",
        Import,
        "a spreadsheet cell holds more text than a normal workbook",
    ),
    c(
        "CHANGE_EXCEEDS_ACTIVITY",
        Core,
        "a measure's change is larger than the activity it acts on",
    ),
    c(
        "CHANGE_UNIT_MISMATCH",
        Core,
        "a measure's change is not in the unit of its source",
    ),
    c("CHECK_BASE_YEAR", Core, "readiness: no base year is set"),
    c(
        "CHECK_EVERY_MONTH",
        Core,
        "readiness: an energy source has a month of the year without data",
    ),
    c(
        "CHECK_EVIDENCE",
        Core,
        "readiness: records of the year without a bill or file attached",
    ),
    c(
        "CHECK_FACTORS_VERIFIED",
        Core,
        "readiness: a factor used is not verified",
    ),
    c(
        "CHECK_NO_ERRORS",
        Core,
        "readiness: the inventory has errors, or no records",
    ),
    c(
        "CHECK_YEARLY_RECORDS",
        Core,
        "readiness: a refrigerant or scope 3 source has no record in the year",
    ),
    c("CLAIM_BAD_DATE", Core, "a claim's date is not a date"),
    c(
        "CLAIM_BAD_STAR_LEVEL",
        Core,
        "a zero-carbon-factory star level is not one of the levels",
    ),
    c("CLAIM_BAD_YEAR", Core, "a claim's year is not a year"),
    c(
        "CLAIM_COVERAGE_FULL",
        Core,
        "claim check: the residual emissions are covered in full",
    ),
    c(
        "CLAIM_CREDITS_PASS_CHECKS",
        Core,
        "claim check: every credit counted passes its checks",
    ),
    c(
        "CLAIM_CREDITS_RETIRED_AFTER_DECLARATION",
        Core,
        "claim check: credits retired too long after the declaration",
    ),
    c(
        "CLAIM_CREDITS_RETIRED_AFTER_PERIOD_END",
        Core,
        "claim check: credits retired too long after the period's end",
    ),
    c(
        "CLAIM_DATE_IN_FUTURE",
        Workbench,
        "a claim setting's date (statement, plan review) after the project's clock",
    ),
    c(
        "CLAIM_EVIDENCE_ATTACHED",
        Core,
        "claim check: the evidence is attached",
    ),
    c(
        "CLAIM_INVENTORY_BASE_YEAR",
        Core,
        "claim check: a base year is set",
    ),
    c(
        "CLAIM_INVENTORY_EVERY_MONTH",
        Core,
        "claim check: every month has data",
    ),
    c(
        "CLAIM_INVENTORY_NO_ERRORS",
        Core,
        "claim check: the inventory has no errors",
    ),
    c(
        "CLAIM_OFFSET_ONLY_FIRST_PERIOD",
        Core,
        "claim check: offsetting alone is allowed for the first period only",
    ),
    c(
        "CLAIM_PACK_DUPLICATE",
        Core,
        "a framework pack lists a rule twice",
    ),
    c(
        "CLAIM_PACK_MISMATCH",
        Core,
        "a framework pack does not match its framework",
    ),
    c(
        "CLAIM_PACK_PARAM_MISSING",
        Core,
        "a framework pack's rule lacks a parameter",
    ),
    c(
        "CLAIM_PACK_PARAM_RANGE",
        Core,
        "a framework pack's parameter is out of range",
    ),
    c(
        "CLAIM_PACK_TEXT_MISSING",
        Core,
        "a framework pack's rule lacks its text",
    ),
    c(
        "CLAIM_PACK_UNKNOWN_KEY",
        Core,
        "a framework pack has a key Lingtan does not know",
    ),
    c(
        "CLAIM_PACK_UNKNOWN_RULE",
        Core,
        "a framework pack names a rule Lingtan does not know",
    ),
    c(
        "CLAIM_PACK_UNREADABLE",
        Workbench,
        "a built-in framework rule pack that does not parse (a build defect)",
    ),
    c(
        "CLAIM_PERIOD_BEYOND_DATA",
        Core,
        "a claim's period runs beyond the data",
    ),
    c(
        "CLAIM_PERIOD_IN_FUTURE",
        Core,
        "a claim's period is in the future",
    ),
    c("CLAIM_PERIOD_NO_DATA", Core, "a claim's period has no data"),
    c(
        "CLAIM_PERIOD_REVERSED",
        Core,
        "a claim's period ends before it starts",
    ),
    c(
        "CLAIM_PLAN_REVIEWED",
        Core,
        "claim check: the management plan was reviewed",
    ),
    c(
        "CLAIM_PLAN_TARGETS_AND_MEASURES",
        Core,
        "claim check: the plan has targets and measures",
    ),
    c(
        "CLAIM_REDUCTION_BEFORE_OFFSET",
        Core,
        "claim check: reduction comes before offsetting",
    ),
    c(
        "CLAIM_STATEMENT_DATE",
        Core,
        "claim check: the statement is dated",
    ),
    c(
        "CLAIM_SUBJECT_FOOTPRINT_SHARE",
        Core,
        "claim check: the subject's share of the footprint",
    ),
    c(
        "CLAIM_SUBJECT_REASON_MISSING",
        Workbench,
        "a source excluded from the claim's subject without a reason",
    ),
    c(
        "CLAIM_SUBJECT_REASON_UNUSED",
        Workbench,
        "a reason given for a subject decision other than an exclusion",
    ),
    c(
        "CLAIM_SUBJECT_SCOPE12_COMPLETE",
        Core,
        "claim check: scopes 1 and 2 are complete",
    ),
    c(
        "CLAIM_SUBJECT_SCOPE3_MATERIAL",
        Core,
        "claim check: material scope 3 categories are included",
    ),
    c(
        "CLAIM_SUBJECT_TRANSPORT_AND_PRODUCTS",
        Core,
        "claim check: transport and products are included",
    ),
    c(
        "CLAIM_UNKNOWN_EDITION",
        Core,
        "a claim names an edition of a framework Lingtan does not know",
    ),
    c(
        "CLAIM_UNKNOWN_FRAMEWORK",
        Core,
        "a claim names a framework Lingtan does not know",
    ),
    c(
        "CLAIM_UNKNOWN_VERIFICATION",
        Core,
        "a claim names a kind of verification Lingtan does not know",
    ),
    c(
        "CLAIM_VALIDATION_STATED",
        Core,
        "claim check: the validation is stated",
    ),
    c(
        "CLAIM_VERIFICATION_STATED",
        Core,
        "claim check: the verification is stated",
    ),
    c(
        "CLAIM_ZCF_SCORES_ENTERED",
        Core,
        "claim check: the zero-carbon-factory scores are entered",
    ),
    c(
        "CLAIM_ZCF_STAR_LEVEL",
        Core,
        "claim check: the zero-carbon-factory star level is reached",
    ),
    c(
        "COLUMN_CHOSEN",
        Import,
        "import: of several possible columns, the one naming the billed total is used",
    ),
    c(
        "COVERAGE_CREDITS_EXCLUDED",
        Core,
        "coverage: credits failing a check are shown, not counted",
    ),
    c(
        "COVERAGE_CREDIT_SPLIT",
        Core,
        "coverage: disclose avoidance versus removal credits",
    ),
    c(
        "COVERAGE_GREEN_POWER_NOT_OFFSET",
        Core,
        "coverage: green power acts through market-based scope 2, not as an offset",
    ),
    c(
        "COVERAGE_INPUT_INCONSISTENT",
        Core,
        "coverage: certificates cover more than the consumption",
    ),
    c(
        "COVERAGE_NO_RESIDUAL",
        Core,
        "coverage: there are no residual emissions to offset",
    ),
    c(
        "COVERAGE_SHORTFALL",
        Core,
        "coverage: the credits do not cover the residual emissions",
    ),
    c(
        "CREDIT_BENEFICIARY_OTHER",
        Core,
        "credit: retired for another beneficiary",
    ),
    c(
        "CREDIT_BENEFICIARY_PARTIAL",
        Core,
        "credit: the beneficiary names the organisation with more text",
    ),
    c("CREDIT_NOT_RETIRED", Core, "credit: held, not retired"),
    c("CREDIT_NO_PERIOD", Core, "credit: not retired for a period"),
    c(
        "CREDIT_NO_STATEMENT",
        Core,
        "credit: no retirement statement",
    ),
    c(
        "CREDIT_RECORD_UNREADABLE",
        Core,
        "a stored credit block whose serial no longer parses",
    ),
    c(
        "CREDIT_RETIRED_LATE_ISO14068",
        Core,
        "credit: retired more than 12 months after the period's end",
    ),
    c(
        "CREDIT_RETIRED_LATE_PAS2060",
        Core,
        "credit: retired more than 12 months after the declaration",
    ),
    c(
        "CREDIT_RETIREMENT_INVALID",
        Core,
        "credit: the retirement record is not valid",
    ),
    c(
        "CREDIT_SUPERSEDED",
        Workbench,
        "retiring or voiding a credit block already split by a partial retirement",
    ),
    c(
        "CREDIT_TYPE_UNSTATED",
        Core,
        "credit: avoidance or removal not stated",
    ),
    c(
        "CREDIT_VINTAGE_AFTER_PERIOD",
        Core,
        "credit: its vintage is after the claim's period",
    ),
    c(
        "CREDIT_VINTAGE_OLD",
        Core,
        "credit: an old vintage (disclosure)",
    ),
    c(
        "CREDIT_VINTAGE_PARTLY_AFTER",
        Core,
        "credit: its vintage is partly after the claim's period",
    ),
    c(
        "CREDIT_VINTAGE_UNKNOWN",
        Core,
        "credit: its vintage is not known",
    ),
    c("CREDIT_VOID", Core, "credit: a void record, never counted"),
    c(
        "DATABASE",
        Store,
        "the project file's database reported an error",
    ),
    c(
        "DATE_UNREADABLE",
        Import,
        "import: a date Lingtan cannot read",
    ),
    c(
        "DECIMAL_COMMA",
        Import,
        "import: a column is written with decimal commas",
    ),
    c(
        "DECIMAL_MARK_AMBIGUOUS",
        Import,
        "import: a column's decimal mark cannot be told",
    ),
    c(
        "DECIMAL_MARK_MIXED",
        Import,
        "import: a column mixes decimal points and commas",
    ),
    c(
        "DEMAND_CONVERTED",
        Import,
        "import: demand values are converted to energy over their interval",
    ),
    c(
        "DISCOUNT_RATE_OUT_OF_RANGE",
        Core,
        "a discount rate is out of range",
    ),
    c(
        "DOSSIER_AUDIT_FAILED",
        Workbench,
        "a dossier refused: the project fails its audit verification",
    ),
    c(
        "DOSSIER_INTERNAL",
        Workbench,
        "a dossier could not be assembled (a defect: report it)",
    ),
    c(
        "DOSSIER_NOT_A_FOLDER",
        Workbench,
        "dossier verify: the path given is not a folder",
    ),
    c(
        "DOSSIER_UNREADABLE",
        Workbench,
        "dossier verify: a file of the folder cannot be read",
    ),
    c(
        "DST_GAP",
        Import,
        "import: an hour missing because the clocks went forward",
    ),
    c(
        "DST_REPEAT",
        Import,
        "import: an hour repeated because the clocks went back",
    ),
    c("DUPLICATE", Workbench, "a name already exists"),
    c(
        "DUPLICATE_CONFLICT",
        Import,
        "import: the same reading twice with different values",
    ),
    c(
        "DUPLICATE_READING",
        Import,
        "import: the same reading twice with the same value, counted once",
    ),
    c(
        "EAC_BENEFICIARY_OTHER",
        Core,
        "certificate: retired for another beneficiary",
    ),
    c(
        "EAC_BENEFICIARY_PARTIAL",
        Core,
        "certificate: the beneficiary names the organisation with more text",
    ),
    c(
        "EAC_BUYER_OTHER",
        Workbench,
        "certificate import: a row bought by another organisation is skipped",
    ),
    c(
        "EAC_CCER_DOUBLE_CLAIM",
        Core,
        "certificate: its plant is also a CCER project in the credit ledger",
    ),
    c(
        "EAC_CONSUMPTION_NOT_KWH",
        Core,
        "electricity that does not convert to kWh cannot be covered by certificates",
    ),
    c(
        "EAC_DATE_UNREADABLE",
        Workbench,
        "certificate import: a date cell that does not read as a date",
    ),
    c("EAC_DUPLICATE_ID", Core, "certificate: the same id twice"),
    c(
        "EAC_EXPIRED",
        Core,
        "certificate: a GEC used after its validity",
    ),
    c(
        "EAC_GEC_ID_FORMAT",
        Core,
        "certificate: a GEC id that is not 32 digits",
    ),
    c(
        "EAC_HEADER_NOT_FOUND",
        Workbench,
        "certificate import: no sheet has the header of a known platform export",
    ),
    c(
        "EAC_ID_INVALID",
        Core,
        "certificate: its registry id is not valid",
    ),
    c(
        "EAC_ID_REPEATED",
        Workbench,
        "certificate import: the same certificate id twice in the file",
    ),
    c(
        "EAC_ID_UNREADABLE",
        Workbench,
        "certificate import: a certificate id cell that is empty or unreadable",
    ),
    c(
        "EAC_IREC_CHINA_CUTOFF",
        Core,
        "certificate: an I-REC for Chinese generation after 2024",
    ),
    c(
        "EAC_LAYOUT_UNCONFIRMED",
        Workbench,
        "certificate import: the platform layout is known only from secondary sources",
    ),
    c(
        "EAC_MARKET_MISMATCH",
        Core,
        "certificate: not from the market of the consumption",
    ),
    c(
        "EAC_MARKET_SITES_SKIPPED",
        Core,
        "certificate: some sites named are outside its market",
    ),
    c(
        "EAC_MARKET_UNKNOWN",
        Core,
        "certificate: its market or a site's country is not known",
    ),
    c(
        "EAC_MONTH_UNREADABLE",
        Workbench,
        "certificate import: a generation month that does not read as YYYY-MM",
    ),
    c(
        "EAC_MWH_BEYOND_CONSUMPTION",
        Core,
        "certificate: more MWh than the consumption covered",
    ),
    c(
        "EAC_MWH_INVALID",
        Core,
        "certificate: MWh not positive, too large, or not whole GECs",
    ),
    c(
        "EAC_NONTRADABLE_PURCHASED",
        Core,
        "certificate: a non-tradable GEC recorded as purchased",
    ),
    c(
        "EAC_NOT_NEEDED",
        Core,
        "certificates retired beyond the year's electricity: the MWh left are unused",
    ),
    c("EAC_NOT_RETIRED", Core, "certificate: held, not retired"),
    c(
        "EAC_ORDER_STATUS",
        Workbench,
        "certificate import: an order not completed (cancelled, pending) is skipped",
    ),
    c(
        "EAC_ORDER_STATUS_UNCONFIRMED",
        Workbench,
        "certificate import: an order status the app does not know, read as completed with a warning",
    ),
    c(
        "EAC_OTHER_YEAR",
        Core,
        "certificate: for generation of another year",
    ),
    c(
        "EAC_OWN_GENERATION_ONSITE",
        Core,
        "certificates of own generation where on-site output is counted as used on site: not applied to grid electricity (✗)",
    ),
    c(
        "EAC_PERIOD_OUTSIDE_YEAR",
        Core,
        "certificate: its generation period is outside the year",
    ),
    c(
        "EAC_PERIOD_REVERSED",
        Core,
        "certificate: its generation period ends before it starts",
    ),
    c(
        "EAC_QUANTITY_INVALID",
        Workbench,
        "certificate import: a quantity that is not a positive number (whole for a GEC)",
    ),
    c(
        "EAC_RETIREMENT_INVALID",
        Core,
        "certificate: the retirement record is not valid",
    ),
    c(
        "EAC_SITE_UNKNOWN",
        Core,
        "certificate: names a site not in the project",
    ),
    c(
        "EAC_SLICE_MONTH",
        Core,
        "certificate: a month of consumption cannot be sliced",
    ),
    c(
        "EAC_TECHNOLOGY_UNSTATED",
        Core,
        "certificate: its technology is not stated",
    ),
    c(
        "EAC_TYPE_UNKNOWN",
        Workbench,
        "a certificate type other than gec, green-power, i-rec, go, rec or other",
    ),
    c(
        "EAC_VOID",
        Core,
        "certificate: a void record, never counted",
    ),
    c(
        "ENERGY_COEFFICIENT_CHOSEN",
        Core,
        "energy: a carrier converted at one of several tabulated coefficients, disclosed",
    ),
    c(
        "ENERGY_COEFFICIENT_MISSING",
        Core,
        "energy: no standard-coal coefficient for a carrier",
    ),
    c(
        "ENERGY_COEFFICIENT_UNCONFIRMED",
        Core,
        "energy: a standard-coal coefficient not confirmed by its document",
    ),
    c(
        "ENERGY_DENSITY_ASSUMED",
        Core,
        "energy: litres turned into kg at a default density, disclosed",
    ),
    c(
        "EXPORT_KEPT_APART",
        Import,
        "import: an export column is kept apart, not imported as consumption",
    ),
    c(
        "FACTOR_ID_TAKEN",
        Workbench,
        "a factor id belongs to the shipped library",
    ),
    c(
        "FACTOR_IMPLAUSIBLE",
        Workbench,
        "a factor is larger than 10^9 kg per unit",
    ),
    c(
        "FACTOR_MISSING",
        Core,
        "a factor set on a source, or used by the inventory, is not in the project",
    ),
    c(
        "FACTOR_UNVERIFIED",
        Core,
        "a factor used is not verified against its publisher's document",
    ),
    c(
        "FACTOR_YEAR_DIFFERS",
        Core,
        "a factor of another data year is used",
    ),
    c(
        "FILE_ALREADY_IMPORTED",
        Workbench,
        "the file was already imported",
    ),
    c("FILE_DAMAGED", Import, "a workbook's structure is damaged"),
    c(
        "FILE_EXISTS",
        Workbench,
        "a file already exists where a new one would go",
    ),
    c(
        "FILE_IS_XLS",
        Import,
        "an Excel 97–2003 workbook under another name, read as one",
    ),
    c("FILE_NOT_CSV", Import, "a file named .csv is a workbook"),
    c(
        "FILE_NOT_SPREADSHEET",
        Import,
        "a file is not a spreadsheet",
    ),
    c("FILE_NOT_TEXT", Import, "a file named .csv is not text"),
    c("FILE_PASSWORD", Import, "a workbook is password-protected"),
    c("FILE_UNREADABLE", Import, "a file cannot be read"),
    c(
        "GRID_REGION_FALLBACK",
        Core,
        "no regional grid factor for the year: the national average is used",
    ),
    c(
        "GWP_UNVERIFIED",
        Core,
        "a GWP value used is not verified against its document",
    ),
    c(
        "HEADER_AMBIGUOUS",
        Import,
        "import: several columns could hold the bill's figure",
    ),
    c(
        "HEADER_CONTRADICTS_SOURCE",
        Workbench,
        "import: a header's unit contradicts the source's",
    ),
    c("HEADER_NOT_FOUND", Import, "import: no header row found"),
    c(
        "IMPORT_CANCELLED",
        Import,
        "the import was cancelled; nothing was written",
    ),
    c("INPUT_EMPTY", Workbench, "a file given is empty"),
    c("INPUT_NOT_A_FILE", Workbench, "a path given is not a file"),
    c("INPUT_NOT_FOUND", Workbench, "a file given does not exist"),
    c(
        "INPUT_OUT_OF_RANGE",
        Core,
        "a measure's input is out of range",
    ),
    c(
        "INPUT_TOO_LARGE",
        Workbench,
        "a file given is larger than its limit",
    ),
    c("INPUT_TYPE", Core, "a measure's input is of the wrong type"),
    c("INPUT_UNREADABLE", Workbench, "a file given cannot be read"),
    c(
        "INTERNAL",
        Desktop,
        "the desktop failed inside (an earlier operation panicked)",
    ),
    c(
        "INTERVAL_GAP",
        Import,
        "import: readings missing for some intervals",
    ),
    c(
        "INTERVAL_IRREGULAR",
        Import,
        "import: the readings are not at a regular interval",
    ),
    c(
        "INTERVAL_UNKNOWN",
        Import,
        "import: the interval length cannot be told",
    ),
    c(
        "INVENTORY_HAS_ERRORS",
        Workbench,
        "reduction: the year's inventory has errors, so figures built on it are missing",
    ),
    c("IO", Store, "a file operation failed"),
    c(
        "LEDGER_OVERLAP",
        Core,
        "credit ledger: a block overlaps a block already recorded",
    ),
    c(
        "LEDGER_PARTS_MISMATCH",
        Core,
        "credit ledger: a partial retirement does not keep every unit once",
    ),
    c(
        "LEDGER_RECORDED_OVERLAP",
        Core,
        "credit ledger: two recorded blocks overlap",
    ),
    c(
        "LEDGER_SAME_SERIAL",
        Core,
        "credit ledger: the same serial is already recorded",
    ),
    c(
        "LEDGER_SPLIT_INVALID",
        Core,
        "credit ledger: a retirement does not take whole units of one block",
    ),
    c(
        "LIBRARY",
        Workbench,
        "the shipped factor library cannot be loaded",
    ),
    c(
        "LIFETIME_OUT_OF_RANGE",
        Core,
        "a measure's lifetime is out of range",
    ),
    c(
        "LMDI_NO_BASE_YEAR",
        Workbench,
        "reduction: what changed and why needs a base year with data",
    ),
    c(
        "LMDI_NO_OUTPUT",
        Workbench,
        "reduction: without output data only the factor effect and the rest are shown",
    ),
    c(
        "LMDI_OUTPUT_ZERO",
        Core,
        "decomposition: output is zero or negative in a year",
    ),
    c(
        "LMDI_UNEXPLAINED",
        Core,
        "decomposition: the records cannot be decomposed",
    ),
    c(
        "MAC_ADDS_EMISSIONS",
        Core,
        "no marginal abatement cost: the measure adds emissions",
    ),
    c(
        "MAC_NO_ABATEMENT",
        Core,
        "no marginal abatement cost: the measure abates nothing",
    ),
    c(
        "MAC_NO_FACTOR",
        Core,
        "no marginal abatement cost: no factor",
    ),
    c("MAC_NO_PRICE", Core, "no marginal abatement cost: no price"),
    c(
        "MAPPING_UNREADABLE",
        Workbench,
        "a mapping profile cannot be read",
    ),
    c(
        "MEASURE_INVALID",
        Workbench,
        "reduction: a stored measure no longer passes its kind's rules",
    ),
    c(
        "METER_DISPLACES_NOTHING",
        Workbench,
        "reduction: the meter's energy displaces no source with a factor",
    ),
    c(
        "METER_IMPLAUSIBLE",
        Import,
        "import: a meter's month is beyond what a factory draws",
    ),
    c(
        "METER_UNUSUAL",
        Import,
        "import: a meter's month is far above its others",
    ),
    c("MISSING_FIELD", Cli, "a required field was not given"),
    c("MISSING_INPUT", Core, "a measure lacks an input it needs"),
    c(
        "MISSING_REASON",
        Workbench,
        "a correction was given without a reason",
    ),
    c("MISSING_SOURCE", Core, "a measure names no source"),
    c(
        "MONTHS_WITHOUT_DATA",
        Core,
        "months of the year without a record",
    ),
    c(
        "MONTH_PARTIAL",
        Workbench,
        "import: the readings cover part of a month",
    ),
    c(
        "MULTIPLIER_AMBIGUOUS",
        Import,
        "import: one multiplier given for a sheet of several meters",
    ),
    c(
        "MULTIPLIER_ASSUMED",
        Import,
        "import: no multiplier in the file, × 1 used",
    ),
    c(
        "MULTIPLIER_IGNORED",
        Import,
        "import: a multiplier given for values that are not register readings",
    ),
    c(
        "MULTIPLIER_METER_UNKNOWN",
        Import,
        "import: a multiplier names a meter not in the sheet",
    ),
    c(
        "MULTIPLIER_MISSING",
        Import,
        "import: register readings of several meters and no multiplier for one of them",
    ),
    c(
        "MULTIPLIER_OVERRIDDEN",
        Import,
        "import: the multiplier given replaces the file's",
    ),
    c("NAME_REQUIRED", Core, "a name is required"),
    c("NEGATIVE_CAPEX", Core, "a measure's investment is negative"),
    c(
        "NEGATIVE_CARBON_PRICE",
        Workbench,
        "reduction: a negative carbon price",
    ),
    c(
        "NEGATIVE_OUTPUT",
        Workbench,
        "reduction: a negative output quantity",
    ),
    c("NEGATIVE_PRICE", Core, "a price is negative"),
    c(
        "NEGATIVE_QUANTITY",
        Workbench,
        "a negative quantity outside a correction",
    ),
    c(
        "NON_KYOTO_REPORTED_APART",
        Core,
        "gases outside the Kyoto basket are reported apart",
    ),
    c(
        "NOT_ACTIVITY_DATA",
        Import,
        "import: a sheet is not activity data",
    ),
    c(
        "NOT_ALLOWED",
        Desktop,
        "the desktop opens only files this window exported",
    ),
    c("NOT_A_NUMBER", Import, "import: a cell is not a number"),
    c("NOT_A_PROJECT", Store, "a file is not a Lingtan project"),
    c("NOT_FOUND", Store, "a record named does not exist"),
    c("NO_ACTIVITY", Core, "no activity data in the year"),
    c("NO_BASE_YEAR", Workbench, "no base year is set"),
    c(
        "NO_CONVERSION",
        Core,
        "no conversion between a measure's units",
    ),
    c(
        "NO_DATA_IN_YEAR",
        Workbench,
        "reduction: the year has no records",
    ),
    c(
        "NO_INVENTORY",
        Workbench,
        "reduction: no inventory can be computed for the year",
    ),
    c("NO_PROJECT", Desktop, "the desktop has no project open"),
    c("NO_ROWS", Workbench, "import: no bill rows found"),
    c(
        "NO_SAMPLE",
        Desktop,
        "the desktop has no sample project installed",
    ),
    c(
        "NO_SOURCES",
        Workbench,
        "the project has no emission sources",
    ),
    c("NUMBER_TOO_LARGE", Core, "a figure is too large to compute"),
    c(
        "ONSITE_EXPORT_UNKNOWN",
        Core,
        "the shares: on-site generation without an export reading, all counted as used on site",
    ),
    c(
        "ONSITE_GENERATION_NOT_RECORDED",
        Workbench,
        "the shares: no on-site generation source, or none with records in the year",
    ),
    c(
        "ONSITE_METER_INCONSISTENT",
        Core,
        "the shares: on-site generation and export give no kWh used on site",
    ),
    c("OPEN_FAILED", Desktop, "the desktop cannot open a file"),
    c(
        "OUTPUT_CHANGED",
        Workbench,
        "an output's file changed while it was made",
    ),
    c(
        "OUTPUT_DUPLICATE",
        Workbench,
        "reduction: output recorded twice for the same metric, period and site",
    ),
    c(
        "OUTPUT_FOLDER_MISSING",
        Workbench,
        "an output's folder does not exist",
    ),
    c(
        "OUTPUT_FOLDER_NOT_EMPTY",
        Workbench,
        "an output folder that exists and is not empty: nothing is written over",
    ),
    c(
        "OUTPUT_IS_DATABASE",
        Workbench,
        "an output would overwrite a SQLite database",
    ),
    c(
        "OUTPUT_IS_INPUT",
        Workbench,
        "an output would overwrite a file the command reads",
    ),
    c(
        "OUTPUT_IS_LINK",
        Workbench,
        "an output folder that is a symbolic link",
    ),
    c(
        "OUTPUT_IS_PROJECT",
        Workbench,
        "an output would overwrite the project file",
    ),
    c(
        "OUTPUT_LINK_OUTSIDE",
        Workbench,
        "an output is a symbolic link outside its folder",
    ),
    c(
        "OUTPUT_METRIC_CHOSEN",
        Workbench,
        "reduction: which output metric was used, when several are recorded",
    ),
    c(
        "OUTPUT_MIXED",
        Workbench,
        "reduction: output of one metric recorded both per year and per month",
    ),
    c(
        "OUTPUT_MONTHS_MISSING",
        Workbench,
        "reduction: monthly output does not cover the whole year",
    ),
    c("OUTPUT_NOT_A_FILE", Workbench, "an output names a folder"),
    c(
        "OUTPUT_NOT_A_FOLDER",
        Workbench,
        "a file where an output folder should be",
    ),
    c(
        "OUTPUT_NOT_A_FOLDER_NAME",
        Workbench,
        "an output folder path without a usable name",
    ),
    c("OUTPUT_TWICE", Workbench, "two outputs name the same file"),
    c(
        "OUTPUT_UNIT_MISMATCH",
        Workbench,
        "reduction: output in a unit of another dimension than its metric's",
    ),
    c(
        "OUTPUT_UNWRITABLE",
        Workbench,
        "an output cannot be written",
    ),
    c(
        "PACK_UNREADABLE",
        Workbench,
        "a built-in framework rule pack that does not parse (zcf show; a build defect)",
    ),
    c(
        "PATHWAY_EXCEEDS_100",
        Core,
        "a pathway's reduction exceeds 100 %",
    ),
    c(
        "PDF_MISSING_GLYPH",
        Report,
        "the PDF font lacks a character, printed as □",
    ),
    c(
        "PERIOD_IMPLAUSIBLE",
        Workbench,
        "import: a period outside the plausible years",
    ),
    c(
        "PERIOD_MISSING",
        Import,
        "import: a bill row without a period",
    ),
    c(
        "PERIOD_OVERLAP",
        Import,
        "import: two bills of the file overlap",
    ),
    c(
        "PERIOD_OVERLAPS_PROJECT",
        Workbench,
        "import: a bill overlaps a record already in the project",
    ),
    c(
        "PERIOD_REVERSED",
        Import,
        "import: a period ends before it starts",
    ),
    c(
        "PERIOD_SINGLE_DAYS",
        Import,
        "import: each row read as one day though the dates are a month apart",
    ),
    c(
        "PERIOD_TWICE",
        Workbench,
        "both --year and --from/--to given",
    ),
    c(
        "PERIOD_UNREADABLE",
        Import,
        "import: a period Lingtan cannot read",
    ),
    c(
        "PLAN_EXCEEDS_ACTIVITY",
        Core,
        "plan: measures take more than a source's activity",
    ),
    c(
        "PLAN_MEASURE_UNKNOWN",
        Core,
        "plan: a measure's abatement is unknown",
    ),
    c(
        "PLAN_SHORT_OF_TARGET",
        Core,
        "plan: the measures leave emissions above the target",
    ),
    c(
        "PLAN_START_ASSUMED",
        Core,
        "plan: a measure without a start month",
    ),
    c(
        "PRICE_FROM_BILLS",
        Workbench,
        "reduction: an energy price taken from the factory's bills (cost / quantity)",
    ),
    c(
        "PRICE_MISSING",
        Core,
        "no price for a source: no savings, MAC, NPV or payback",
    ),
    c(
        "PRICE_TWICE",
        Workbench,
        "reduction: two prices given for one source",
    ),
    c(
        "PRICE_UNIT_MISMATCH",
        Core,
        "a price is not in the source's unit",
    ),
    c(
        "PRICE_UNUSABLE",
        Workbench,
        "reduction: a stored price cannot be used (unit no longer converts)",
    ),
    c(
        "PROJECT_BUSY",
        Store,
        "the project file is in use by another program",
    ),
    c("PROJECT_CORRUPT", Store, "the project file is damaged"),
    c(
        "PROJECT_NEWER",
        Store,
        "the project file was made by a newer Lingtan",
    ),
    c(
        "PROJECT_NOT_FOUND",
        Store,
        "the project file does not exist",
    ),
    c(
        "PROJECT_SCHEMA_CHANGED",
        Store,
        "the project file's structure was changed outside Lingtan",
    ),
    c(
        "PROJECT_UPGRADE_FAILED",
        Store,
        "an older project file could not be upgraded",
    ),
    c(
        "PROPERTY_UNVERIFIED",
        Core,
        "a fuel property used is not verified against its document",
    ),
    c(
        "QUANTITY_DERIVED",
        Import,
        "import: the quantity is derived from other figures of the row",
    ),
    c(
        "QUANTITY_IMPLAUSIBLE",
        Workbench,
        "a quantity larger than the limit",
    ),
    c(
        "QUANTITY_MISSING",
        Import,
        "import: a row without a quantity",
    ),
    c("REASON_REQUIRED", Core, "a reason is required"),
    c(
        "RECONCILED",
        Workbench,
        "import: readings agree with the bills already there",
    ),
    c(
        "RECONCILE_DIFFERS",
        Workbench,
        "import: readings differ from the bills already there",
    ),
    c(
        "RECONCILE_IMPOSSIBLE",
        Workbench,
        "import: readings cannot be compared with the records there",
    ),
    c(
        "REDUCTION_OUT_OF_RANGE",
        Core,
        "a target's reduction is out of range",
    ),
    c(
        "REGISTER_DECREASED",
        Import,
        "import: a meter register runs backwards",
    ),
    c(
        "REPORT_CHART",
        Report,
        "a chart of the report cannot be drawn",
    ),
    c(
        "REPORT_EMPTY",
        Report,
        "the report has no sources to report",
    ),
    c(
        "REPORT_INCOMPLETE",
        Report,
        "the inventory has errors that would leave emissions out of the report",
    ),
    c(
        "REPORT_NO_DATA",
        Report,
        "the report's year has no activity data",
    ),
    c("REPORT_PDF", Report, "the PDF cannot be made"),
    c(
        "ROW_SKIPPED",
        Import,
        "import: a row without period or figures is skipped",
    ),
    c(
        "S2_MARKET_CONTRACTUAL",
        Core,
        "market-based scope 2 uses a contractual factor",
    ),
    c(
        "S2_MARKET_EAC",
        Core,
        "market-based scope 2: part of a source's kWh covered by certificates at zero emissions",
    ),
    c(
        "S2_MARKET_GRID_FALLBACK",
        Core,
        "market-based scope 2 falls back to the grid factor",
    ),
    c(
        "S2_MARKET_RESIDUAL_MIX",
        Core,
        "market-based scope 2 uses the residual-mix proxy",
    ),
    c(
        "SBTI_BASE_YEAR_BEFORE_2015",
        Core,
        "an SBTi pathway with a base year before 2015",
    ),
    c(
        "SCRATCH_UNREADABLE",
        Workbench,
        "a temporary copy (snapshot) cannot be read back",
    ),
    c(
        "SCRATCH_UNWRITABLE",
        Workbench,
        "a temporary copy (snapshot) cannot be written",
    ),
    c(
        "SERIAL_CDM_NOT_CER",
        Core,
        "serial: a CDM unit that is not a CER",
    ),
    c(
        "SERIAL_COUNTRY_MISMATCH",
        Core,
        "serial: the country given differs from the serial's",
    ),
    c(
        "SERIAL_DATE_INVALID",
        Core,
        "serial: a vintage date that is not a date",
    ),
    c(
        "SERIAL_ENDS_DISAGREE",
        Core,
        "serial: the two ends of a range disagree",
    ),
    c(
        "SERIAL_GS_RANGE_APART",
        Core,
        "serial: a Gold Standard range kept in separate fields",
    ),
    c(
        "SERIAL_PROJECT_MISMATCH",
        Core,
        "serial: the project id given differs from the serial's",
    ),
    c(
        "SERIAL_QTY_INVALID",
        Core,
        "serial: a quantity that is not whole units",
    ),
    c(
        "SERIAL_QTY_MISMATCH",
        Core,
        "serial: the quantity differs from the serial's range",
    ),
    c(
        "SERIAL_RANGE_MISMATCH",
        Core,
        "serial: a unit given apart differs from the serial's range",
    ),
    c(
        "SERIAL_RANGE_REVERSED",
        Core,
        "serial: the range's last unit is before its first",
    ),
    c(
        "SERIAL_UNREADABLE",
        Core,
        "serial: does not follow its registry's grammar",
    ),
    c(
        "SERIAL_VERBATIM",
        Core,
        "serial: kept verbatim, no range read from it",
    ),
    c(
        "SERIAL_VERRA_FLAG",
        Core,
        "serial: a Verra serial's flag digit",
    ),
    c(
        "SERIAL_VINTAGE_MISMATCH",
        Core,
        "serial: the vintage given differs from the serial's",
    ),
    c(
        "SETTING_UNUSABLE",
        Workbench,
        "reduction: a stored setting cannot be used",
    ),
    c("SHEET_EMPTY", Import, "import: a sheet is empty"),
    c(
        "SHEET_NOT_FOUND",
        Import,
        "import: the sheet named is not in the workbook",
    ),
    c(
        "SHEET_TOO_LARGE",
        Import,
        "import: a sheet holds too much text",
    ),
    c(
        "SITE_MISMATCH",
        Cli,
        "the site given is not the source's site",
    ),
    c(
        "STAMP_ASSUMED",
        Import,
        "import: the interval stamps are assumed to mark the start or the end",
    ),
    c(
        "TARGET_NO_STATUS",
        Workbench,
        "reduction: a target's status cannot be assessed (no actual emissions)",
    ),
    c(
        "TARGET_TONNES_UNKNOWN",
        Workbench,
        "reduction: a target's tonnes cannot be computed",
    ),
    c(
        "TARGET_YEAR_NOT_AFTER_BASE",
        Core,
        "a target year is not after its base year",
    ),
    c(
        "TEXT_HIDDEN_CHARACTER",
        Workbench,
        "a text holds a hidden or control character",
    ),
    c(
        "TEXT_TOO_LONG",
        Workbench,
        "a text is longer than its limit",
    ),
    c(
        "THRESHOLD_OUT_OF_RANGE",
        Core,
        "a threshold is out of range",
    ),
    c(
        "TIMESTAMPS_IGNORED",
        Import,
        "import: the timestamps option is ignored for a wide file",
    ),
    c("TIME_MISSING", Import, "import: a reading without a time"),
    c(
        "TIME_OFF_GRID",
        Import,
        "import: a time off the file's interval grid",
    ),
    c(
        "TIME_UNREADABLE",
        Import,
        "import: a time Lingtan cannot read",
    ),
    c(
        "TOTAL_CHECKED",
        Import,
        "import: a total row is checked, not read",
    ),
    c(
        "TOTAL_MISMATCH",
        Import,
        "import: a total row differs from its rows",
    ),
    c(
        "TOTAL_ROUNDED",
        Import,
        "import: a total row differs within rounding",
    ),
    c(
        "TOU_SUM_DIFFERS",
        Import,
        "import: time-of-use parts do not add up to the total",
    ),
    c(
        "UNIT_MISMATCH",
        Core,
        "a record's unit does not convert to its factor's",
    ),
    c("UNIT_MISSING", Import, "import: a row without a unit"),
    c(
        "UNIT_UNKNOWN",
        Import,
        "import: a header's unit Lingtan does not know",
    ),
    c("UNKNOWN_ACTIVITY", Workbench, "no record with that number"),
    c(
        "UNKNOWN_BASIS",
        Workbench,
        "reduction: a scope 2 basis other than location or market",
    ),
    c(
        "UNKNOWN_BATCH",
        Workbench,
        "no import batch with that number",
    ),
    c(
        "UNKNOWN_CREDIT",
        Workbench,
        "no credit block has this number or serial",
    ),
    c(
        "UNKNOWN_CREDIT_TYPE",
        Workbench,
        "a credit type other than avoidance or removal",
    ),
    c(
        "UNKNOWN_EAC",
        Workbench,
        "no certificate record has this number or id",
    ),
    c("UNKNOWN_FACTOR", Workbench, "no factor with that id"),
    c(
        "UNKNOWN_FIGURE",
        Workbench,
        "trace: a figure Lingtan does not know",
    ),
    c(
        "UNKNOWN_FUEL",
        Workbench,
        "a fuel or gas Lingtan does not know",
    ),
    c("UNKNOWN_GAS", Workbench, "a gas Lingtan does not know"),
    c(
        "UNKNOWN_GRID_REGION",
        Workbench,
        "a grid region Lingtan does not know",
    ),
    c(
        "UNKNOWN_INPUT",
        Core,
        "a measure input Lingtan does not know",
    ),
    c(
        "UNKNOWN_KIND",
        Workbench,
        "a source kind Lingtan does not know",
    ),
    c(
        "UNKNOWN_MEASURE",
        Workbench,
        "reduction: no measure with that name",
    ),
    c(
        "UNKNOWN_MEASURE_KIND",
        Core,
        "a measure kind Lingtan does not know",
    ),
    c(
        "UNKNOWN_MEASURE_STATUS",
        Core,
        "a measure status Lingtan does not know",
    ),
    c(
        "UNKNOWN_METRIC",
        Workbench,
        "reduction: no output metric with that name",
    ),
    c(
        "UNKNOWN_MONTH",
        Workbench,
        "trace: a month outside the inventory year or not a month",
    ),
    c(
        "UNKNOWN_OUTPUT",
        Workbench,
        "reduction: no output record with that id",
    ),
    c(
        "UNKNOWN_PATHWAY",
        Core,
        "a target pathway Lingtan does not know",
    ),
    c(
        "UNKNOWN_REFRIGERANT",
        Core,
        "a refrigerant Lingtan does not know",
    ),
    c(
        "UNKNOWN_REGISTRY",
        Workbench,
        "a registry other than verra, gold-standard, cdm, ccer, acr, car, art or other",
    ),
    c("UNKNOWN_SCOPES", Core, "scopes Lingtan does not know"),
    c("UNKNOWN_SITE", Workbench, "no site with that name"),
    c("UNKNOWN_SOURCE", Core, "no source with that name"),
    c(
        "UNKNOWN_TARGET",
        Workbench,
        "reduction: no target with that name",
    ),
    c(
        "UNKNOWN_TECHNOLOGY",
        Workbench,
        "a technology other than wind, solar, hydro, biomass, geothermal or other",
    ),
    c("UNKNOWN_UNIT", Workbench, "a unit Lingtan does not know"),
    c(
        "VALUE_MISSING",
        Import,
        "import: empty readings, counted as gaps",
    ),
    c("VALUE_NEGATIVE", Import, "import: a negative reading"),
    c(
        "WRONG_SOURCE_KIND",
        Core,
        "a measure acts on a source of the wrong kind",
    ),
    c("XLSX_FAILED", Report, "the workbook cannot be written"),
    c(
        "XML_TOO_LONG",
        Import,
        "import: a workbook's XML tag is too long",
    ),
    c("YEAR_OUT_OF_RANGE", Core, "a year is out of range"),
    c(
        "ZCF_DUPLICATE_ROW",
        Core,
        "zero-carbon-factory scores: a row twice",
    ),
    c(
        "ZCF_ITEM_MAXIMUM_ZERO",
        Core,
        "zero-carbon-factory scores: an item's maximum is zero",
    ),
    c(
        "ZCF_NAME_MISSING",
        Core,
        "zero-carbon-factory scores: an item without a name",
    ),
    c(
        "ZCF_NEGATIVE",
        Core,
        "zero-carbon-factory scores: a negative score",
    ),
    c(
        "ZCF_NOT_A_NUMBER",
        Workbench,
        "zcf scores: a weight, maximum or score cell that is not a number",
    ),
    c(
        "ZCF_NO_HEADER",
        Workbench,
        "zcf scores: no row with the scoring table's columns",
    ),
    c(
        "ZCF_SCORE_ABOVE_MAXIMUM",
        Core,
        "zero-carbon-factory scores: a score above its maximum",
    ),
    c(
        "ZCF_TABLE_EMPTY",
        Core,
        "zero-carbon-factory scores: an empty table",
    ),
    c(
        "ZCF_TABLE_MAXIMUM",
        Core,
        "zero-carbon-factory scores: the table's maximum is wrong",
    ),
    c(
        "ZCF_TYPE_UNKNOWN",
        Workbench,
        "zcf show: a type other than i or ii",
    ),
    c(
        "ZCF_VALUE_MISSING",
        Workbench,
        "zcf scores: a required cell is empty",
    ),
    c(
        "ZCF_WEIGHT_SUM",
        Core,
        "zero-carbon-factory scores: the weights do not add up",
    ),
    c(
        "ZIP_PART_TOO_LARGE",
        Import,
        "import: a workbook part inflates beyond its limit",
    ),
    c(
        "ZIP_RATIO",
        Import,
        "import: a workbook part inflates too many times",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_once_in_order_and_well_formed() {
        for w in ALL.windows(2) {
            assert!(
                w[0].code < w[1].code,
                "{} then {}: the list is sorted and holds each code once",
                w[0].code,
                w[1].code
            );
        }
        for c in ALL {
            assert!(
                c.code
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    && !c.meaning.is_empty(),
                "{}: a code is SCREAMING_SNAKE_CASE and says what it means",
                c.code
            );
        }
        assert_eq!(
            find("CANCELLED").map(|c| c.layer),
            Some(Store),
            "the store's cancelled write has its code"
        );
    }
}
