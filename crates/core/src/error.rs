//! One error shape for every layer: a stable code, the field it concerns, and the message in
//! English and Chinese — naming no face.
//!
//! A message never holds a command-line flag (`--qty`) or a screen's name: where it speaks of
//! what the person gave or should do, it holds a reference ([`Ref`]) that each face renders its
//! own way. The command line shows [`Ref::Field`] as its flag (`--qty`) or, for an argument
//! without a flag, by its name (`site name`); the desktop shows it as the form field's label
//! (`Quantity`). [`Ref::Name`] is the field's plain name (`qty: '12.3.4' is not a number`), and
//! [`Ref::Action`] something to do (`lingtan activity correct` on the command line, the Records
//! screen on the desktop).
//!
//! A refusal of the workbench (`lingtan`), of the store, of the report and of the readers is an
//! [`Error`]; problems found in data (an inventory's issues, an import's issues, a check's
//! findings) are data of their own kind, listed with the same codes (`lingtan::codes`).

use crate::issue::Lang;
use serde::{Serialize, Serializer};
use std::fmt;

/// What a person gives: a setting, an entry of a form, an argument of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // the project
    Org,
    OrgZh,
    Year,
    BaseYear,
    Gwp,
    Boundary,
    PreparedBy,
    ReportDate,
    /// The project file itself (a project that cannot be opened, created or read).
    Project,
    // sites and sources
    SiteName,
    Grid,
    Address,
    SourceName,
    /// The site a source or an import belongs to.
    Site,
    /// The emission source a record or an import belongs to.
    Source,
    /// A source's kind, or an import's (`bill`, `interval`).
    Kind,
    Fuel,
    Factor,
    MarketFactor,
    Unit,
    Uncertainty,
    // activity records
    /// A record's number.
    Activity,
    From,
    To,
    Qty,
    Note,
    Evidence,
    Reason,
    AllowOverlap,
    // factors
    FactorId,
    FactorName,
    Co2,
    Ch4,
    N2o,
    Gas,
    Co2e,
    Citation,
    Dataset,
    Region,
    // import
    /// The file an import reads.
    File,
    Sheet,
    Mapping,
    SaveMapping,
    Timestamps,
    Multiplier,
    Force,
    Batch,
    // outputs, reports and the rest
    Pdf,
    Xlsx,
    /// Where a copy of the project goes.
    Dest,
    /// A file a test writes.
    Out,
    Lang,
    /// The variable that fixes the clock (`LINGTAN_NOW`).
    Clock,
    /// The inventory as a whole (a report refused for its errors).
    Inventory,
    /// A figure to trace (`scope1`, `site:NAME` …).
    Figure,
    // the reduction step
    Name,
    Id,
    Metric,
    Month,
    Scopes,
    TargetYear,
    Reduction,
    Pathway,
    Scope2,
    Basis,
    Threshold,
    DiscountRate,
    CarbonPrice,
    Price,
    Change,
    Capex,
    Opex,
    Lifetime,
    Start,
    Status,
    Meter,
    Refrigerant,
    // the offset step
    Type,
    Mwh,
    Technology,
    Plant,
    Tradable,
    Subsidy,
    Retired,
    Beneficiary,
    Date,
    Acquired,
    Registry,
    Serial,
    ProjectId,
    ProjectName,
    Methodology,
    Vintage,
    Country,
    Label,
    ForYear,
    First,
    Last,
    /// The certification framework a claim is made under (`iso14068-1`, `pas2060` …).
    Framework,
    /// An engineering input of a measure's kind (`kwp`, `hours` …) or the source a role of the
    /// kind names (`electricity-source` …), by its catalogue name.
    Input(&'static str),
}

impl Field {
    /// Every field, in the order above.
    pub const ALL: &'static [Field] = &[
        Field::Org,
        Field::OrgZh,
        Field::Year,
        Field::BaseYear,
        Field::Gwp,
        Field::Boundary,
        Field::PreparedBy,
        Field::ReportDate,
        Field::Project,
        Field::SiteName,
        Field::Grid,
        Field::Address,
        Field::SourceName,
        Field::Site,
        Field::Source,
        Field::Kind,
        Field::Fuel,
        Field::Factor,
        Field::MarketFactor,
        Field::Unit,
        Field::Uncertainty,
        Field::Activity,
        Field::From,
        Field::To,
        Field::Qty,
        Field::Note,
        Field::Evidence,
        Field::Reason,
        Field::AllowOverlap,
        Field::FactorId,
        Field::FactorName,
        Field::Co2,
        Field::Ch4,
        Field::N2o,
        Field::Gas,
        Field::Co2e,
        Field::Citation,
        Field::Dataset,
        Field::Region,
        Field::File,
        Field::Sheet,
        Field::Mapping,
        Field::SaveMapping,
        Field::Timestamps,
        Field::Multiplier,
        Field::Force,
        Field::Batch,
        Field::Pdf,
        Field::Xlsx,
        Field::Dest,
        Field::Out,
        Field::Lang,
        Field::Clock,
        Field::Inventory,
        Field::Figure,
        Field::Name,
        Field::Id,
        Field::Metric,
        Field::Month,
        Field::Scopes,
        Field::TargetYear,
        Field::Reduction,
        Field::Pathway,
        Field::Scope2,
        Field::Basis,
        Field::Threshold,
        Field::DiscountRate,
        Field::CarbonPrice,
        Field::Price,
        Field::Change,
        Field::Capex,
        Field::Opex,
        Field::Lifetime,
        Field::Start,
        Field::Status,
        Field::Meter,
        Field::Refrigerant,
        Field::Type,
        Field::Mwh,
        Field::Technology,
        Field::Plant,
        Field::Tradable,
        Field::Subsidy,
        Field::Retired,
        Field::Beneficiary,
        Field::Date,
        Field::Acquired,
        Field::Registry,
        Field::Serial,
        Field::ProjectId,
        Field::ProjectName,
        Field::Methodology,
        Field::Vintage,
        Field::Country,
        Field::Label,
        Field::ForYear,
        Field::First,
        Field::Last,
        Field::Framework,
    ];

    /// The field's stable name (what a refusal's `field` says to a machine): `base-year`, `qty`.
    pub const fn code(self) -> &'static str {
        match self {
            Field::Org => "org",
            Field::OrgZh => "org-zh",
            Field::Year => "year",
            Field::BaseYear => "base-year",
            Field::Gwp => "gwp",
            Field::Boundary => "boundary",
            Field::PreparedBy => "prepared-by",
            Field::ReportDate => "report-date",
            Field::Project => "project",
            Field::SiteName | Field::SourceName | Field::FactorName => "name",
            Field::Grid => "grid",
            Field::Address => "address",
            Field::Site => "site",
            Field::Source => "source",
            Field::Kind => "kind",
            Field::Fuel => "fuel",
            Field::Factor => "factor",
            Field::MarketFactor => "market-factor",
            Field::Unit => "unit",
            Field::Uncertainty => "uncertainty",
            Field::Activity | Field::FactorId => "id",
            Field::From => "from",
            Field::To => "to",
            Field::Qty => "qty",
            Field::Note => "note",
            Field::Evidence => "evidence",
            Field::Reason => "reason",
            Field::AllowOverlap => "allow-overlap",
            Field::Co2 => "co2",
            Field::Ch4 => "ch4",
            Field::N2o => "n2o",
            Field::Gas => "gas",
            Field::Co2e => "co2e",
            Field::Citation => "citation",
            Field::Dataset => "dataset",
            Field::Region => "region",
            Field::File => "file",
            Field::Sheet => "sheet",
            Field::Mapping => "mapping",
            Field::SaveMapping => "save-mapping",
            Field::Timestamps => "timestamps",
            Field::Multiplier => "multiplier",
            Field::Force => "force",
            Field::Batch => "batch",
            Field::Pdf => "pdf",
            Field::Xlsx => "xlsx",
            Field::Dest => "dest",
            Field::Out => "out",
            Field::Lang => "lang",
            Field::Clock => "LINGTAN_NOW",
            Field::Inventory => "inventory",
            Field::Figure => "figure",
            Field::Name => "name",
            Field::Id => "id",
            Field::Metric => "metric",
            Field::Month => "month",
            Field::Scopes => "scopes",
            Field::TargetYear => "target-year",
            Field::Reduction => "reduction",
            Field::Pathway => "pathway",
            Field::Scope2 => "scope2",
            Field::Basis => "basis",
            Field::Threshold => "threshold",
            Field::DiscountRate => "discount-rate",
            Field::CarbonPrice => "carbon-price",
            Field::Price => "price",
            Field::Change => "change",
            Field::Capex => "capex",
            Field::Opex => "opex",
            Field::Lifetime => "lifetime",
            Field::Start => "start",
            Field::Status => "status",
            Field::Meter => "meter",
            Field::Refrigerant => "refrigerant",
            Field::Type => "type",
            Field::Mwh => "mwh",
            Field::Technology => "technology",
            Field::Plant => "plant",
            Field::Tradable => "tradable",
            Field::Subsidy => "subsidy",
            Field::Retired => "retired",
            Field::Beneficiary => "beneficiary",
            Field::Date => "date",
            Field::Acquired => "acquired",
            Field::Registry => "registry",
            Field::Serial => "serial",
            Field::ProjectId => "project-id",
            Field::ProjectName => "project-name",
            Field::Methodology => "methodology",
            Field::Vintage => "vintage",
            Field::Country => "country",
            Field::Label => "label",
            Field::ForYear => "for-year",
            Field::First => "first",
            Field::Last => "last",
            Field::Framework => "framework",
            Field::Input(name) => name,
        }
    }

    /// What a person calls the field, in English and Chinese (a form's label, an argument's name).
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            Field::Org => ("organisation", "组织名称"),
            Field::OrgZh => ("organisation (Chinese)", "组织中文名称"),
            Field::Year => ("year", "年份"),
            Field::BaseYear => ("base year", "基准年"),
            Field::Gwp => ("GWP set", "GWP 取值"),
            Field::Boundary => ("boundary", "组织边界"),
            Field::PreparedBy => ("prepared by", "编制人"),
            Field::ReportDate => ("report date", "报告日期"),
            Field::Project => ("project file", "项目文件"),
            Field::SiteName => ("site name", "场所名称"),
            Field::Grid => ("grid region", "电网区域"),
            Field::Address => ("address", "地址"),
            Field::SourceName => ("source name", "排放源名称"),
            Field::Site => ("site", "场所"),
            Field::Source => ("source", "排放源"),
            Field::Kind => ("kind", "类型"),
            Field::Fuel => ("fuel", "燃料"),
            Field::Factor => ("factor", "排放因子"),
            Field::MarketFactor => ("market-based factor", "基于市场的因子"),
            Field::Unit => ("unit", "单位"),
            Field::Uncertainty => ("uncertainty", "不确定度"),
            Field::Activity => ("record", "记录"),
            Field::From => ("from", "起始日期"),
            Field::To => ("to", "截止日期"),
            Field::Qty => ("quantity", "数量"),
            Field::Note => ("note", "备注"),
            Field::Evidence => ("evidence", "凭证"),
            Field::Reason => ("reason", "原因"),
            Field::AllowOverlap => ("allow overlap", "允许重叠"),
            Field::FactorId => ("factor id", "因子编号"),
            Field::FactorName => ("factor name", "因子名称"),
            Field::Co2 => ("CO2", "CO2"),
            Field::Ch4 => ("CH4", "CH4"),
            Field::N2o => ("N2O", "N2O"),
            Field::Gas => ("gas", "气体"),
            Field::Co2e => ("CO2e", "CO2e"),
            Field::Citation => ("citation", "出处"),
            Field::Dataset => ("dataset", "数据集"),
            Field::Region => ("region", "地区"),
            Field::File => ("file", "文件"),
            Field::Sheet => ("sheet", "工作表"),
            Field::Mapping => ("mapping profile", "映射配置"),
            Field::SaveMapping => ("save the mapping to", "映射保存位置"),
            Field::Timestamps => ("timestamps", "时间戳"),
            Field::Multiplier => ("multiplier", "倍率"),
            Field::Force => ("import again", "强制导入"),
            Field::Batch => ("import batch", "导入批次"),
            Field::Pdf => ("PDF", "PDF"),
            Field::Xlsx => ("workbook", "工作簿"),
            Field::Dest => ("copy", "副本"),
            Field::Out => ("output", "输出"),
            Field::Lang => ("language", "语言"),
            Field::Clock => ("LINGTAN_NOW", "LINGTAN_NOW"),
            Field::Inventory => ("inventory", "盘查"),
            Field::Figure => ("figure", "数值"),
            Field::Name => ("name", "名称"),
            Field::Id => ("record number", "记录编号"),
            Field::Metric => ("output metric", "产出指标"),
            Field::Month => ("month", "月份"),
            Field::Scopes => ("scopes", "范围"),
            Field::TargetYear => ("target year", "目标年"),
            Field::Reduction => ("reduction", "减排比例"),
            Field::Pathway => ("pathway", "减排路径"),
            Field::Scope2 => ("scope 2 basis", "范围二口径"),
            Field::Basis => ("basis", "口径"),
            Field::Threshold => ("significance threshold", "显著性阈值"),
            Field::DiscountRate => ("discount rate", "折现率"),
            Field::CarbonPrice => ("carbon price", "碳价"),
            Field::Price => ("energy price", "能源价格"),
            Field::Change => ("change of activity", "活动变化"),
            Field::Capex => ("investment", "投资"),
            Field::Opex => ("running cost", "运行成本"),
            Field::Lifetime => ("lifetime", "寿命"),
            Field::Start => ("start month", "开始月份"),
            Field::Status => ("status", "状态"),
            Field::Meter => ("meter", "计量表"),
            Field::Refrigerant => ("refrigerant", "制冷剂"),
            Field::Type => ("type", "类型"),
            Field::Mwh => ("MWh", "兆瓦时"),
            Field::Technology => ("technology", "发电技术"),
            Field::Plant => ("plant", "电站"),
            Field::Tradable => ("tradable", "可交易"),
            Field::Subsidy => ("subsidy", "补贴"),
            Field::Retired => ("retirement date", "注销日期"),
            Field::Beneficiary => ("beneficiary", "受益方"),
            Field::Date => ("date", "日期"),
            Field::Acquired => ("purchase date", "购买日期"),
            Field::Registry => ("registry", "登记簿"),
            Field::Serial => ("serial", "序列号"),
            Field::ProjectId => ("project id", "项目编号"),
            Field::ProjectName => ("project", "项目名称"),
            Field::Methodology => ("methodology", "方法学"),
            Field::Vintage => ("vintage", "年份（vintage）"),
            Field::Country => ("country", "国家"),
            Field::Label => ("label", "标签"),
            Field::ForYear => ("claimed for year", "抵消年份"),
            Field::First => ("first unit", "起始单位"),
            Field::Last => ("last unit", "末尾单位"),
            Field::Framework => ("framework", "框架"),
            Field::Input(name) => (name, name),
        }
    }

    /// The field whose [`Field::code`] is `code`: one of [`Field::ALL`], or a measure kind's input
    /// or role field from the reduction catalogue; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Field> {
        if let Some(f) = Field::ALL.iter().find(|f| f.code() == code) {
            return Some(*f);
        }
        use crate::reduction::measure::{MeasureKind, Role};
        Role::ALL
            .into_iter()
            .map(Role::field)
            .chain(
                MeasureKind::ALL
                    .iter()
                    .flat_map(|k| k.spec().inputs.iter().map(|i| i.name)),
            )
            .find(|name| *name == code)
            .map(Field::Input)
    }

    /// How the command line names the field: its flag (`--qty`), or the name of an argument that has
    /// none (`site name`). Every field is listed, so a new one must be given its flag here.
    pub fn flag(self, lang: Lang) -> String {
        let f = self;
        match f {
            // arguments without a flag
            Field::SiteName
            | Field::SourceName
            | Field::FactorId
            | Field::Activity
            | Field::File
            | Field::Dest
            | Field::Project
            | Field::Batch
            | Field::Inventory
            | Field::Figure
            | Field::Name
            | Field::Id => f.name(lang).to_string(),
            // a measure kind's input is its own option
            Field::Input(name) => format!("--{name}"),
            // an environment variable
            Field::Clock => f.code().to_string(),
            Field::Org
            | Field::OrgZh
            | Field::Year
            | Field::BaseYear
            | Field::Gwp
            | Field::Boundary
            | Field::PreparedBy
            | Field::ReportDate
            | Field::Grid
            | Field::Address
            | Field::Site
            | Field::Source
            | Field::Kind
            | Field::Fuel
            | Field::Factor
            | Field::MarketFactor
            | Field::Unit
            | Field::Uncertainty
            | Field::From
            | Field::To
            | Field::Qty
            | Field::Note
            | Field::Evidence
            | Field::Reason
            | Field::AllowOverlap
            | Field::FactorName
            | Field::Co2
            | Field::Ch4
            | Field::N2o
            | Field::Gas
            | Field::Co2e
            | Field::Citation
            | Field::Dataset
            | Field::Region
            | Field::Sheet
            | Field::Mapping
            | Field::SaveMapping
            | Field::Timestamps
            | Field::Multiplier
            | Field::Force
            | Field::Pdf
            | Field::Xlsx
            | Field::Out
            | Field::Lang
            | Field::Metric
            | Field::Month
            | Field::Scopes
            | Field::TargetYear
            | Field::Reduction
            | Field::Pathway
            | Field::Scope2
            | Field::Basis
            | Field::Threshold
            | Field::DiscountRate
            | Field::CarbonPrice
            | Field::Price
            | Field::Change
            | Field::Capex
            | Field::Opex
            | Field::Lifetime
            | Field::Start
            | Field::Status
            | Field::Meter
            | Field::Refrigerant
            | Field::Type
            | Field::Mwh
            | Field::Technology
            | Field::Plant
            | Field::Tradable
            | Field::Subsidy
            | Field::Retired
            | Field::Beneficiary
            | Field::Date
            | Field::Acquired
            | Field::Registry
            | Field::Serial
            | Field::ProjectId
            | Field::Methodology
            | Field::Vintage
            | Field::Country
            | Field::Label
            | Field::ForYear
            | Field::First
            | Field::Last
            | Field::Framework => format!("--{}", f.code()),
            Field::ProjectName => "--project".to_string(),
        }
    }

    /// [`Field::names`] in one language.
    pub fn name(self, lang: Lang) -> &'static str {
        let (en, zh) = self.names();
        lang.pick(en, zh)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Field {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// Something a message tells the person to do, which each face words its own way (a command on
/// the command line, a screen on the desktop).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    AddSite,
    AddSource,
    ListFactors,
    CorrectActivity,
    ShowInventory,
    UndoImport,
    /// Record output (the reduction step's intensity denominators).
    AddOutput,
    /// Recalculate a target's base year, with a reason.
    RebaseTarget,
    /// Change a recorded measure.
    SetMeasure,
    /// Add an emission factor to the project.
    AddFactor,
    /// Record an energy attribute certificate.
    AddCertificate,
    /// The recorded certificates, with their record numbers.
    ListCertificates,
    /// The recorded credit blocks, with their numbers.
    ListCredits,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Action::AddSite,
        Action::AddSource,
        Action::ListFactors,
        Action::CorrectActivity,
        Action::ShowInventory,
        Action::UndoImport,
        Action::AddOutput,
        Action::RebaseTarget,
        Action::SetMeasure,
        Action::AddFactor,
        Action::AddCertificate,
        Action::ListCertificates,
        Action::ListCredits,
    ];

    /// What it is, for a reader without a face: `add a site`, `添加场所`.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            Action::AddSite => ("add a site", "添加场所"),
            Action::AddSource => ("add a source", "添加排放源"),
            Action::ListFactors => ("the list of factors", "因子列表"),
            Action::CorrectActivity => ("correct the record", "更正记录"),
            Action::ShowInventory => ("the inventory", "盘查结果"),
            Action::UndoImport => ("undo the import", "撤销导入"),
            Action::AddOutput => ("record the output", "登记产出"),
            Action::RebaseTarget => ("recalculate the base year", "重新计算基准年"),
            Action::SetMeasure => ("change the measure", "修改措施"),
            Action::AddFactor => ("add the factor", "添加排放因子"),
            Action::AddCertificate => ("record the certificate", "登记证书"),
            Action::ListCertificates => ("the list of certificates", "证书列表"),
            Action::ListCredits => ("the list of credits", "碳信用列表"),
        }
    }

    /// The command that does it, as the command line words it: `` `lingtan factors` ``.
    pub const fn command(self) -> &'static str {
        match self {
            Action::AddSite => "`lingtan site add`",
            Action::AddSource => "`lingtan source add`",
            Action::ListFactors => "`lingtan factors`",
            Action::CorrectActivity => "`lingtan activity correct`",
            Action::ShowInventory => "`lingtan inventory`",
            Action::UndoImport => "`lingtan import undo`",
            Action::AddOutput => "`lingtan output add`",
            Action::RebaseTarget => "`lingtan target rebase`",
            Action::SetMeasure => "`lingtan measure set`",
            Action::AddFactor => "`lingtan factor add`",
            Action::AddCertificate => "`lingtan eac add`",
            Action::ListCertificates => "`lingtan eac list`",
            Action::ListCredits => "`lingtan credit list`",
        }
    }

    /// The command that does it for one thing (a factor's id, a year), as the command line
    /// words it: `` `lingtan factors --search ID` ``, `` `lingtan inventory --year 2024` ``.
    pub fn command_on(self, what: &str) -> String {
        match self {
            Action::ListFactors => format!("`lingtan factors --search {what}`"),
            Action::ShowInventory => format!("`lingtan inventory --year {what}`"),
            other => format!("{} {what}`", other.command().trim_end_matches('`')),
        }
    }
}

/// A reference inside a message, rendered by each face.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Ref {
    /// A field as the person gives it: the command line's flag, the desktop's form field.
    Field(Field),
    /// A field by its plain name (the command line writes its code: `qty`, `unit`).
    Name(Field),
    /// Something to do.
    Action(Action),
    /// Something to do about one thing, named by its key (a factor's id, a year): the command
    /// line gives the key to the command (`lingtan factors --search ID`), the desktop names it
    /// after the screen.
    ActionOn(Action, String),
}

impl Ref {
    /// The rendering without a face: a field by its code, an action by its name.
    pub fn plain(&self, lang: Lang) -> String {
        match self {
            Ref::Field(f) | Ref::Name(f) => f.code().to_string(),
            Ref::Action(a) => {
                let (en, zh) = a.names();
                lang.pick(en, zh).to_string()
            }
            Ref::ActionOn(a, what) => {
                let (en, zh) = a.names();
                match lang {
                    Lang::En => format!("{en} ({what})"),
                    Lang::Zh => format!("{zh}（{what}）"),
                }
            }
        }
    }

    /// The rendering of the command line: a field as its flag ([`Field::flag`]), a field's name
    /// as its code, an action as its command ([`Action::command`]). The command line prints it,
    /// and so do the documents made from a project (its `--json`, the report), which a person
    /// reads beside the file without a window.
    pub fn command_line(&self, lang: Lang) -> String {
        match self {
            Ref::Field(f) => f.flag(lang),
            Ref::Name(f) => f.code().to_string(),
            Ref::Action(a) => a.command().to_string(),
            Ref::ActionOn(a, what) => a.command_on(what),
        }
    }
}

/// One piece of a message: text, or a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Text(String),
    Ref(Ref),
}

impl From<String> for Part {
    fn from(s: String) -> Part {
        Part::Text(s)
    }
}

impl From<&str> for Part {
    fn from(s: &str) -> Part {
        Part::Text(s.to_string())
    }
}

impl From<&String> for Part {
    fn from(s: &String) -> Part {
        Part::Text(s.clone())
    }
}

impl From<Field> for Part {
    fn from(f: Field) -> Part {
        Part::Ref(Ref::Field(f))
    }
}

impl From<Ref> for Part {
    fn from(r: Ref) -> Part {
        Part::Ref(r)
    }
}

impl From<Action> for Part {
    fn from(a: Action) -> Part {
        Part::Ref(Ref::Action(a))
    }
}

/// A message in one language: text and references. Built with [`words!`](crate::words).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Words(Vec<Part>);

impl Words {
    pub fn new(parts: Vec<Part>) -> Words {
        Words(parts)
    }

    pub fn parts(&self) -> &[Part] {
        &self.0
    }

    /// The message with each reference rendered by `show`.
    pub fn render(&self, show: &dyn Fn(&Ref) -> String) -> String {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Ref(r) => out.push_str(&show(r)),
            }
        }
        out
    }

    /// The message without a face ([`Ref::plain`]).
    pub fn plain(&self, lang: Lang) -> String {
        self.render(&|r| r.plain(lang))
    }

    /// The message as the command line words it ([`Ref::command_line`]).
    pub fn command_line(&self, lang: Lang) -> String {
        self.render(&|r| r.command_line(lang))
    }

    /// This message, then `more`: `words!["e.g. "].then(how).then(" or …")`.
    pub fn then(mut self, more: impl Into<Words>) -> Words {
        self.0.extend(more.into().0);
        self
    }

    /// The same message after `text`: `2024-03: ` and the message.
    pub fn after(self, text: impl Into<String>) -> Words {
        let mut parts = vec![Part::Text(text.into())];
        parts.extend(self.0);
        Words(parts)
    }

    /// Add text at the end.
    pub fn push_str(&mut self, text: &str) {
        self.0.push(Part::Text(text.to_string()));
    }

    /// Add another message at the end.
    pub fn append(&mut self, other: Words) {
        self.0.extend(other.0);
    }

    /// The references the message holds.
    pub fn refs(&self) -> impl Iterator<Item = &Ref> + '_ {
        self.0.iter().filter_map(|p| match p {
            Part::Ref(r) => Some(r),
            Part::Text(_) => None,
        })
    }
}

impl From<String> for Words {
    fn from(s: String) -> Words {
        Words(vec![Part::Text(s)])
    }
}

impl From<&str> for Words {
    fn from(s: &str) -> Words {
        Words(vec![Part::Text(s.to_string())])
    }
}

/// A message of text and references: `words![Field::Qty, format!(" {q}: …; give "), Field::Reason]`.
#[macro_export]
macro_rules! words {
    ($($part:expr),* $(,)?) => {
        $crate::error::Words::new(vec![$($crate::error::Part::from($part)),*])
    };
}

/// A refusal: a stable code, the field it concerns, and the message in both languages. Nothing was
/// changed when one is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: &'static str,
    pub field: Option<Field>,
    pub en: Words,
    pub zh: Words,
}

impl Error {
    pub fn new(
        code: &'static str,
        field: impl Into<Option<Field>>,
        en: impl Into<Words>,
        zh: impl Into<Words>,
    ) -> Error {
        Error {
            code,
            field: field.into(),
            en: en.into(),
            zh: zh.into(),
        }
    }

    /// The message in `lang`.
    pub fn words(&self, lang: Lang) -> &Words {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    /// The message in `lang` without a face (fields by their code).
    pub fn message(&self, lang: Lang) -> String {
        self.words(lang).plain(lang)
    }

    /// The message in `lang`, each reference rendered by `show`.
    pub fn render(&self, lang: Lang, show: &dyn Fn(&Ref) -> String) -> String {
        self.words(lang).render(show)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Error {}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Error", 4)?;
        st.serialize_field("code", self.code)?;
        st.serialize_field("field", &self.field)?;
        st.serialize_field("en", &self.message(Lang::En))?;
        st.serialize_field("zh", &self.message(Lang::Zh))?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_references_for_the_face_to_render() {
        let e = Error::new(
            "NEGATIVE_QUANTITY",
            Field::Qty,
            crate::words![Field::Qty, " -20: negative; give ", Field::Reason],
            crate::words![Field::Qty, " -20：负数；请用 ", Field::Reason, " 说明原因"],
        );
        assert_eq!(
            e.message(Lang::En),
            "qty -20: negative; give reason",
            "without a face, a field is its code"
        );
        let flags = e.render(Lang::En, &|r| match r {
            Ref::Field(f) => format!("--{}", f.code()),
            other => other.plain(Lang::En),
        });
        assert_eq!(
            flags, "--qty -20: negative; give --reason",
            "a face renders each reference its own way"
        );
        assert!(
            !e.en.plain(Lang::En).contains("--"),
            "the message itself holds no flag"
        );
    }

    #[test]
    fn every_field_has_a_code_and_both_names() {
        for f in Field::ALL {
            let (en, zh) = f.names();
            assert!(
                !f.code().is_empty() && !en.is_empty() && !zh.is_empty(),
                "{f:?} needs a code and a name in both languages"
            );
        }
    }
}
