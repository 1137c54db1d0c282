//! The three kinds of record: a VICIdial table each, and the top-level array
//! of a definition file that holds them.

/// The three kinds of record a definition file may hold, named by their
/// top-level array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Phone,
    Alias,
    Server,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [RecordKind::Phone, RecordKind::Alias, RecordKind::Server];

    /// The top-level key that holds records of this kind.
    pub const fn section(self) -> &'static str {
        match self {
            RecordKind::Phone => "phones",
            RecordKind::Alias => "aliases",
            RecordKind::Server => "servers",
        }
    }

    pub fn from_section(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.section() == key)
    }

    /// The VICIdial table behind this kind.
    pub const fn table(self) -> &'static str {
        match self {
            RecordKind::Phone => "phones",
            RecordKind::Alias => "phones_alias",
            RecordKind::Server => "servers",
        }
    }

    pub const fn singular(self) -> &'static str {
        match self {
            RecordKind::Phone => "phone",
            RecordKind::Alias => "alias",
            RecordKind::Server => "server",
        }
    }
}
