//! Counting in words.

/// "1 error", "2 warnings".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular() {
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "alias", "aliases"), "0 aliases");
    }
}
