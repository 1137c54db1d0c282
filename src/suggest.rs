//! "Did you mean ...?": the closest candidate to a misspelt word.

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The candidate closest to `word`, ignoring case, if it is close enough to be
/// a likely typo: a case-only difference, or at most a third of the longer
/// word's characters edited (at least one, at most three).
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let length = lower.chars().count();
    candidates
        .into_iter()
        .map(|candidate| {
            let limit = (length.max(candidate.chars().count()) / 3).clamp(1, 3);
            (
                edit_distance(&lower, &candidate.to_lowercase()),
                limit,
                candidate,
            )
        })
        .filter(|(distance, limit, _)| distance <= limit)
        .map(|(distance, _, candidate)| (distance, candidate))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("phone", "phones"), 1);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn closest_prefers_case_and_small_edits() {
        let sections = ["phones", "aliases", "servers"];
        assert_eq!(closest("Phones", sections), Some("phones"));
        assert_eq!(closest("phone", sections), Some("phones"));
        assert_eq!(closest("alias", sections), Some("aliases"));
        assert_eq!(closest("server", sections), Some("servers"));
        assert_eq!(closest("name", sections), None);
        assert_eq!(closest("dependencies", sections), None);
        assert_eq!(
            closest("Extension", ["extension", "pass"]),
            Some("extension")
        );
    }
}
