//! The workbench's refusals: the one error shape of every layer ([`lingtan_core::error`]),
//! re-exported so the faces need nothing else. A message names fields and actions as
//! references; the command line shows a field as its flag, the desktop as its form field.

pub use lingtan_core::error::{Action, Error, Field, Part, Ref, Words};
pub use lingtan_core::words;

pub type Result<T, E = Error> = std::result::Result<T, E>;
