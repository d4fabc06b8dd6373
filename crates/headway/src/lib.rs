//! The `headway` binary's library part: what its fuzz targets and tests reach.

pub mod group_input;
