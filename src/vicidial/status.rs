//! The two look-alike fields: Active Account (`active`) and `status`.

/// `phones.status`: documented as the permission (help.php 4571), but read by
/// no VICIdial code. Free text in VICIdial; the add form offers exactly these
/// five values (admin.php 10843-10852).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Documented as: GUI clients work.
    Active,
    /// Documented as: GUI clients work and the admin web site opens.
    Admin,
    Suspended,
    Closed,
    Pending,
    /// Anything else: not a status the admin form offers.
    Unknown(String),
}

impl Status {
    pub const KNOWN: [&'static str; 5] = ["ACTIVE", "SUSPENDED", "CLOSED", "PENDING", "ADMIN"];

    /// Exact match: one of the five as the admin form writes it.
    pub fn parse(text: &str) -> Self {
        match text {
            "ACTIVE" => Status::Active,
            "ADMIN" => Status::Admin,
            "SUSPENDED" => Status::Suspended,
            "CLOSED" => Status::Closed,
            "PENDING" => Status::Pending,
            other => Status::Unknown(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Status::Active => "ACTIVE",
            Status::Admin => "ADMIN",
            Status::Suspended => "SUSPENDED",
            Status::Closed => "CLOSED",
            Status::Pending => "PENDING",
            Status::Unknown(other) => other,
        }
    }

    /// One of the three statuses documented as blocking (help.php 4571).
    pub fn is_blocking(&self) -> bool {
        matches!(self, Status::Suspended | Status::Closed | Status::Pending)
    }
}

/// `phones.active`, Active Account: ENUM('Y','N').
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Active {
    Yes,
    No,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_is_exact() {
        assert_eq!(Status::parse("ADMIN"), Status::Admin);
        assert_eq!(Status::parse("admin"), Status::Unknown("admin".into()));
        assert!(matches!(Status::parse("ACTIVE "), Status::Unknown(_)));
        assert!(Status::parse("PENDING").is_blocking());
        for known in Status::KNOWN {
            assert!(!matches!(Status::parse(known), Status::Unknown(_)));
            assert_eq!(Status::parse(known).as_str(), known);
        }
    }
}
