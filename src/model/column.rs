//! What a column is and which values it accepts.

use std::borrow::Cow;

use crate::load::Value;

/// MySQL's TEXT holds at most 65,535 bytes.
pub const TEXT_MAX_BYTES: usize = 65_535;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// VARCHAR(n): at most n characters, or MySQL truncates.
    Varchar(usize),
    /// TEXT: at most 65,535 bytes.
    Text,
    /// An integer column (INT, SMALLINT, BIGINT UNSIGNED, ...) with its range.
    Integer { min: i64, max: i64 },
    /// ENUM('Y','N'): written "Y"/"N" or true/false.
    YesNo,
    /// ENUM('0','1'): written "0"/"1", 0/1 or true/false.
    ZeroOne,
    /// Any other ENUM: exactly one of these strings.
    Enum(&'static [&'static str]),
}

impl ColumnType {
    /// The values an enumerated column allows, in schema order.
    pub fn allowed_values(&self) -> Option<&'static [&'static str]> {
        match self {
            ColumnType::YesNo => Some(&["Y", "N"]),
            ColumnType::ZeroOne => Some(&["0", "1"]),
            ColumnType::Enum(values) => Some(values),
            _ => None,
        }
    }

    /// How the type is described to users.
    pub fn describe(&self) -> String {
        match self {
            ColumnType::Varchar(n) => format!("VARCHAR({n})"),
            ColumnType::Text => "TEXT".to_owned(),
            ColumnType::Integer { min, max } => format!("integer {min}..{max}"),
            ColumnType::YesNo => "ENUM('Y','N')".to_owned(),
            ColumnType::ZeroOne => "ENUM('0','1')".to_owned(),
            ColumnType::Enum(values) => format!(
                "ENUM({})",
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }
}

/// One column of a VICIdial table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// The schema default, applied by VICIdial when the column is omitted.
    pub default: Option<&'static str>,
    pub not_null: bool,
    /// A short description for documentation and the JSON Schema.
    pub doc: &'static str,
    /// A credential: never printed in messages.
    pub secret: bool,
    /// Written by VICIdial at run time; a definition should not own it.
    pub runtime: bool,
    /// A comma-separated list (`logins_list`) that may also be written as an
    /// array of strings.
    pub list: bool,
}

impl Column {
    pub const fn new(name: &'static str, ty: ColumnType, default: Option<&'static str>) -> Self {
        Self {
            name,
            ty,
            default,
            not_null: false,
            doc: "",
            secret: false,
            runtime: false,
            list: false,
        }
    }

    pub const fn not_null(mut self) -> Self {
        self.not_null = true;
        self
    }

    pub const fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self
    }

    pub const fn secret(mut self) -> Self {
        self.secret = true;
        self
    }

    pub const fn runtime(mut self) -> Self {
        self.runtime = true;
        self
    }

    pub const fn list(mut self) -> Self {
        self.list = true;
        self
    }

    /// Judges a written value against this column.
    pub fn check(&self, value: &Value) -> Result<(), ValueError> {
        if let (true, Value::Array(items)) = (self.list, value) {
            if let Some(item) = items.iter().find(|item| item.value.as_str().is_none()) {
                return Err(ValueError::WrongType {
                    expected: "an array of strings",
                    found: item.value.type_name(),
                });
            }
            let joined = self.stored_text(value).unwrap_or_default();
            return self.check(&Value::String(joined.into()));
        }
        let wrong_type = |expected: &'static str| {
            Err(ValueError::WrongType {
                expected,
                found: value.type_name(),
            })
        };
        match (self.ty, value) {
            (ColumnType::Varchar(max), Value::String(s)) => {
                let length = s.chars().count();
                if length > max {
                    return Err(ValueError::TooLong {
                        max,
                        length,
                        unit: "characters",
                    });
                }
                Ok(())
            }
            (ColumnType::Text, Value::String(s)) => {
                if s.len() > TEXT_MAX_BYTES {
                    return Err(ValueError::TooLong {
                        max: TEXT_MAX_BYTES,
                        length: s.len(),
                        unit: "bytes",
                    });
                }
                Ok(())
            }
            (ColumnType::Varchar(_) | ColumnType::Text, _) => wrong_type("a string"),
            (ColumnType::Integer { min, max }, Value::Integer(i)) => {
                if *i < min || *i > max {
                    return Err(ValueError::OutOfRange {
                        min,
                        max,
                        found: *i,
                    });
                }
                Ok(())
            }
            (ColumnType::Integer { .. }, _) => wrong_type("an integer"),
            (ColumnType::YesNo, Value::Bool(_)) => Ok(()),
            (ColumnType::ZeroOne, Value::Bool(_)) => Ok(()),
            (ColumnType::ZeroOne, Value::Integer(0 | 1)) => Ok(()),
            (ColumnType::YesNo | ColumnType::ZeroOne | ColumnType::Enum(_), Value::String(s)) => {
                let allowed = self.ty.allowed_values().unwrap_or(&[]);
                if allowed.contains(&s.as_str()) {
                    Ok(())
                } else {
                    Err(ValueError::NotAllowed { allowed })
                }
            }
            (ColumnType::YesNo, _) => wrong_type("\"Y\", \"N\" or a boolean"),
            (ColumnType::ZeroOne, Value::Integer(_)) => Err(ValueError::NotAllowed {
                allowed: &["0", "1"],
            }),
            (ColumnType::ZeroOne, _) => wrong_type("\"0\", \"1\", 0, 1 or a boolean"),
            (ColumnType::Enum(_), _) => wrong_type("a string"),
        }
    }

    /// The text VICIdial would store for a written value, if the value has
    /// one (`true` in a Y/N column is "Y"). `None` for arrays, tables and null.
    pub fn stored_text<'v>(&self, value: &'v Value) -> Option<Cow<'v, str>> {
        match (self.ty, value) {
            (_, Value::String(s)) => Some(Cow::Borrowed(s)),
            (ColumnType::YesNo, Value::Bool(b)) => Some(Cow::Borrowed(if *b { "Y" } else { "N" })),
            (ColumnType::ZeroOne, Value::Bool(b)) => {
                Some(Cow::Borrowed(if *b { "1" } else { "0" }))
            }
            (_, Value::Integer(i)) => Some(Cow::Owned(i.to_string())),
            (_, Value::Float(f)) => Some(Cow::Borrowed(f)),
            (_, Value::Bool(b)) => Some(Cow::Owned(b.to_string())),
            (_, Value::Datetime(d)) => Some(Cow::Borrowed(d)),
            (_, Value::Array(items)) if self.list => {
                let texts: Option<Vec<&str>> =
                    items.iter().map(|item| item.value.as_str()).collect();
                texts.map(|texts| Cow::Owned(texts.join(",")))
            }
            (_, Value::Null | Value::Array(_) | Value::Table(_)) => None,
        }
    }
}

/// Why a value does not fit its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    NotAllowed {
        allowed: &'static [&'static str],
    },
    OutOfRange {
        min: i64,
        max: i64,
        found: i64,
    },
    TooLong {
        max: usize,
        length: usize,
        unit: &'static str,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn yes_no_takes_letters_and_booleans() {
        let col = Column::new("active", ColumnType::YesNo, None);
        assert_eq!(col.check(&s("Y")), Ok(()));
        assert_eq!(col.check(&Value::Bool(false)), Ok(()));
        assert!(matches!(
            col.check(&s("y")),
            Err(ValueError::NotAllowed { .. })
        ));
        assert!(matches!(
            col.check(&Value::Integer(1)),
            Err(ValueError::WrongType { .. })
        ));
        assert_eq!(col.stored_text(&Value::Bool(true)).as_deref(), Some("Y"));
    }

    #[test]
    fn zero_one_takes_strings_integers_and_booleans() {
        let col = Column::new("x_enabled", ColumnType::ZeroOne, Some("1"));
        for ok in [
            s("0"),
            s("1"),
            Value::Integer(0),
            Value::Integer(1),
            Value::Bool(true),
        ] {
            assert_eq!(col.check(&ok), Ok(()), "{ok:?}");
        }
        assert!(matches!(
            col.check(&Value::Integer(2)),
            Err(ValueError::NotAllowed { .. })
        ));
        assert_eq!(col.stored_text(&Value::Bool(false)).as_deref(), Some("0"));
    }

    #[test]
    fn varchar_counts_characters() {
        let col = Column::new("company", ColumnType::Varchar(3), None);
        assert_eq!(col.check(&s("ééé")), Ok(()));
        assert_eq!(
            col.check(&s("abcd")),
            Err(ValueError::TooLong {
                max: 3,
                length: 4,
                unit: "characters"
            })
        );
        assert!(matches!(
            col.check(&Value::Integer(8300)),
            Err(ValueError::WrongType {
                expected: "a string",
                ..
            })
        ));
    }

    #[test]
    fn lists_are_strings_or_arrays_of_strings() {
        use crate::load::Node;
        use crate::source::Span;
        let col = Column::new("logins_list", ColumnType::Varchar(5), None).list();
        let item = |v: Value| Node {
            value: v,
            span: Span::default(),
        };
        let array = Value::Array(vec![item(s("a")), item(s("b"))]);
        assert_eq!(col.check(&array), Ok(()));
        assert_eq!(col.stored_text(&array).as_deref(), Some("a,b"));
        let long = Value::Array(vec![item(s("abc")), item(s("def"))]);
        assert!(matches!(
            col.check(&long),
            Err(ValueError::TooLong { length: 7, .. })
        ));
        let mixed = Value::Array(vec![item(s("a")), item(Value::Integer(1))]);
        assert!(matches!(
            col.check(&mixed),
            Err(ValueError::WrongType {
                found: "an integer",
                ..
            })
        ));
    }

    #[test]
    fn integers_have_ranges() {
        let col = Column::new(
            "t",
            ColumnType::Integer {
                min: -32768,
                max: 32767,
            },
            None,
        );
        assert_eq!(col.check(&Value::Integer(60)), Ok(()));
        assert!(matches!(
            col.check(&Value::Integer(40000)),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            col.check(&s("60")),
            Err(ValueError::WrongType { .. })
        ));
    }
}
