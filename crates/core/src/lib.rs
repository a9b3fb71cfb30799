//! lingtan-core: the pure domain of Lingtan, a carbon inventory workbench.
//!
//! Quantities and units ([`units`]), greenhouse gases and GWP sets ([`gas`]), emission factors
//! and fuel properties ([`factor`]), sites and sources ([`source`]), pro-rating by days
//! ([`period`]), the inventory calculation ([`calc`]), the one decimal grammar every typed or
//! imported number goes through ([`number`]), and the rules of the later steps: reduction
//! ([`reduction`]: targets, measures, their cost, the MACC, the plan, progress, LMDI), offset
//! ([`offset`]: certificates, credit serials and blocks, coverage) and certification ([`claim`]:
//! periods, rule packs, checks, documents' data), and readiness ([`check`]: is a year's inventory
//! ready to show a certifier, the base of the certification step's checks). No I/O, no clock, no
//! floats: every quantity, factor and emission is a `rust_decimal::Decimal`.

pub mod calc;
pub mod check;
pub mod claim;
pub mod codes;
pub mod error;
pub mod factor;
pub mod gas;
pub mod issue;
pub mod number;
pub mod offset;
pub mod period;
pub mod record;
pub mod reduction;
pub mod source;
pub mod text;
pub mod units;

pub use calc::{ActivityInput, Catalog, Context, Inventory, InventoryBuilder};
pub use factor::{EmissionFactor, FuelProperty};
pub use gas::{Gas, GwpSet};
pub use issue::{Issue, Lang, Severity};
pub use rust_decimal::Decimal;
pub use source::{Boundary, Scope, Site, Source, SourceKind};
pub use units::{Quantity, Unit, UnitError};
