//! What a column is and which values it accepts.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}
