//! The one way a closed set of values (a status, a kind, a role) becomes a type.

/// Defines a code enum: variants with their stored codes, `ALL`, `code`, `parse`
/// (case-insensitive; its error names the field and the codes allowed) and, through
/// [`crate::Labelled`], the Fluent message that names the value (`<labels>-<code>`, lower
/// case). Stored, serialised and shown as its code.
macro_rules! codes {
    ($(#[$m:meta])* $name:ident, $what:literal, $labels:literal { $($(#[$vm:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(s: &str) -> Result<Self, crate::input::InputError> {
                let t = s.trim();
                Self::ALL.iter().copied().find(|v| v.code().eq_ignore_ascii_case(t)).ok_or_else(|| {
                    let shown: String = t.chars().take(40).collect();
                    crate::input::InputError::new(
                        $what,
                        crate::input::Problem::NotOneOf {
                            value: shown,
                            allowed: Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", "),
                        },
                    )
                })
            }
        }

        impl crate::Labelled for $name {
            fn label_id(&self) -> String {
                format!("{}-{}", $labels, self.code().to_ascii_lowercase())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use codes;
