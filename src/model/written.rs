//! A written value read as VICIdial's MySQL reads it: whether it fits its
//! column, the text stored for it, and what an Active Account value means.

use std::borrow::Cow;

use crate::load::Value;
use crate::vicidial::{Active, Column, ColumnType, TEXT_MAX_BYTES};

/// Judges a written value against its column.
///
/// Inlined for the common case, a string that fits its varchar column in
/// bytes (two rules ask for every field of every record); the rest is
/// judged out of line.
#[inline]
pub fn check(column: &Column, value: &Value) -> Result<(), ValueError> {
    if let (ColumnType::Varchar(max), Value::String(s)) = (column.ty, value)
        && s.len() <= max
    {
        return Ok(());
    }
    check_fully(column, value)
}

fn check_fully(column: &Column, value: &Value) -> Result<(), ValueError> {
    if let (true, Value::Array(items)) = (column.list, value) {
        if let Some(item) = items.iter().find(|item| item.value.as_str().is_none()) {
            return Err(ValueError::WrongType {
                expected: "an array of strings",
                found: item.value.type_name(),
            });
        }
        let joined = stored_text(column, value).unwrap_or_default();
        return check(column, &Value::String(joined.into()));
    }
    let wrong_type = |expected: &'static str| {
        Err(ValueError::WrongType {
            expected,
            found: value.type_name(),
        })
    };
    match (column.ty, value) {
        (ColumnType::Varchar(max), Value::String(s)) => {
            // No more characters than bytes: most values need no count.
            if s.len() <= max {
                return Ok(());
            }
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
            let allowed = column.ty.allowed_values().unwrap_or(&[]);
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
///
/// Inlined for a string, stored as written (nearly every value, read by
/// several rules and the kept file); the other values are read out of line.
#[inline]
pub fn stored_text<'v>(column: &Column, value: &'v Value) -> Option<Cow<'v, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        _ => stored_text_of_other(column, value),
    }
}

fn stored_text_of_other<'v>(column: &Column, value: &'v Value) -> Option<Cow<'v, str>> {
    match (column.ty, value) {
        (_, Value::String(s)) => Some(Cow::Borrowed(s)),
        (ColumnType::YesNo, Value::Bool(b)) => Some(Cow::Borrowed(if *b { "Y" } else { "N" })),
        (ColumnType::ZeroOne, Value::Bool(b)) => Some(Cow::Borrowed(if *b { "1" } else { "0" })),
        (_, Value::Integer(i)) => Some(Cow::Owned(i.to_string())),
        (_, Value::Float(f)) => Some(Cow::Borrowed(f)),
        (_, Value::Bool(b)) => Some(Cow::Owned(b.to_string())),
        (_, Value::Datetime(d)) => Some(Cow::Borrowed(d)),
        (_, Value::Array(items)) if column.list => {
            let texts: Option<Vec<&str>> = items.iter().map(|item| item.value.as_str()).collect();
            texts.map(|texts| Cow::Owned(texts.join(",")))
        }
        (_, Value::Null | Value::Array(_) | Value::Table(_)) => None,
    }
}

/// `phones.active` as written: "Y"/"N" or true/false; anything else is not
/// a valid Active Account.
pub fn active(value: &Value) -> Option<Active> {
    match value {
        Value::String(s) if s == "Y" => Some(Active::Yes),
        Value::String(s) if s == "N" => Some(Active::No),
        Value::Bool(true) => Some(Active::Yes),
        Value::Bool(false) => Some(Active::No),
        _ => None,
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
        assert_eq!(check(&col, &s("Y")), Ok(()));
        assert_eq!(check(&col, &Value::Bool(false)), Ok(()));
        assert!(matches!(
            check(&col, &s("y")),
            Err(ValueError::NotAllowed { .. })
        ));
        assert!(matches!(
            check(&col, &Value::Integer(1)),
            Err(ValueError::WrongType { .. })
        ));
        assert_eq!(stored_text(&col, &Value::Bool(true)).as_deref(), Some("Y"));
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
            assert_eq!(check(&col, &ok), Ok(()), "{ok:?}");
        }
        assert!(matches!(
            check(&col, &Value::Integer(2)),
            Err(ValueError::NotAllowed { .. })
        ));
        assert_eq!(stored_text(&col, &Value::Bool(false)).as_deref(), Some("0"));
    }

    #[test]
    fn varchar_counts_characters() {
        let col = Column::new("company", ColumnType::Varchar(3), None);
        assert_eq!(check(&col, &s("ééé")), Ok(()));
        assert_eq!(
            check(&col, &s("abcd")),
            Err(ValueError::TooLong {
                max: 3,
                length: 4,
                unit: "characters"
            })
        );
        assert!(matches!(
            check(&col, &Value::Integer(8300)),
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
        assert_eq!(check(&col, &array), Ok(()));
        assert_eq!(stored_text(&col, &array).as_deref(), Some("a,b"));
        let long = Value::Array(vec![item(s("abc")), item(s("def"))]);
        assert!(matches!(
            check(&col, &long),
            Err(ValueError::TooLong { length: 7, .. })
        ));
        let mixed = Value::Array(vec![item(s("a")), item(Value::Integer(1))]);
        assert!(matches!(
            check(&col, &mixed),
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
        assert_eq!(check(&col, &Value::Integer(60)), Ok(()));
        assert!(matches!(
            check(&col, &Value::Integer(40000)),
            Err(ValueError::OutOfRange { .. })
        ));
        assert!(matches!(
            check(&col, &s("60")),
            Err(ValueError::WrongType { .. })
        ));
    }

    #[test]
    fn active_accepts_letters_and_booleans() {
        assert_eq!(active(&Value::String("Y".into())), Some(Active::Yes));
        assert_eq!(active(&Value::Bool(false)), Some(Active::No));
        assert_eq!(active(&Value::String("y".into())), None);
    }
}
