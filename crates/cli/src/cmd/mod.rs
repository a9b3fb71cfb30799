//! The commands, one module per command group: each parses its flags, calls the workbench and
//! prints.

pub mod activity;
pub mod audit;
pub mod backup;
pub mod check;
pub mod claim;
pub mod credit;
pub mod dossier;
pub mod eac;
pub mod factor;
pub mod import;
pub mod inventory;
pub mod measure;
pub mod offset;
pub mod output;
pub mod project;
pub mod reduction;
pub mod report;
pub mod site;
pub mod source;
pub mod target;
pub mod trace;
pub mod zcf;
