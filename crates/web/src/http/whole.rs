//! Whole numbers in JSON bodies as JSON Schema's `integer` allows them: `148` or `148.0`.
//! serde's integers refuse the second, which a schema-valid client may send.

use serde::Deserialize;

/// A whole number however JSON writes it (`148` or `148.0`, as JSON Schema's `integer`
/// allows), within the target type's range.
pub fn whole<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    let Some(v) = Option::<f64>::deserialize(d)? else {
        return Ok(None);
    };
    if v.fract() != 0.0 || v.abs() > 1e15 {
        return Err(serde::de::Error::custom(format!(
            "{v} is not a whole number"
        )));
    }
    T::try_from(v as i64)
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("{v} is out of range")))
}

/// [`whole`], and present.
pub fn whole_required<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<i64>,
{
    whole(d)?.ok_or_else(|| serde::de::Error::custom("a number is required"))
}
