//! What pages share: the page context, rendering, languages, dates, the map and chart
//! (SVG), and the spreadsheet export.

pub mod chart;
pub mod ctx;
pub mod dates;
pub mod export;
pub mod i18n;
pub mod mail;
pub mod map;
pub mod pdf;

pub use ctx::{render, Ctx, LangLink};
