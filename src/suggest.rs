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
        .filter_map(|candidate| {
            let limit = (length.max(candidate.chars().count()) / 3).clamp(1, 3);
            // The distance is at least the difference in length: most
            // candidates are ruled out without computing it.
            let candidate_length = candidate.chars().flat_map(char::to_lowercase).count();
            if length.abs_diff(candidate_length) > limit {
                return None;
            }
            Some((
                edit_distance(&lower, &candidate.to_lowercase()),
                limit,
                candidate,
            ))
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

    #[test]
    fn the_length_filter_keeps_every_answer() {
        // The unfiltered search, as it was before the length filter.
        fn reference<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
            let lower = word.to_lowercase();
            let length = lower.chars().count();
            candidates
                .iter()
                .map(|c| {
                    let limit = (length.max(c.chars().count()) / 3).clamp(1, 3);
                    (edit_distance(&lower, &c.to_lowercase()), limit, *c)
                })
                .filter(|(d, l, _)| d <= l)
                .min_by_key(|(d, _, _)| *d)
                .map(|(_, _, c)| c)
        }
        let names: Vec<&str> = crate::model::PHONE_COLUMNS.iter().map(|c| c.name).collect();
        for word in [
            "extention",
            "Extension",
            "pas",
            "passs",
            "stauts",
            "server_IP",
            "astmgrsecret",
            "loc_gmt",
            "x",
            "",
            "dialplan",
            "voicemail",
            "conf_secrett",
            "İx",
            "protocoll",
        ] {
            assert_eq!(
                closest(word, names.iter().copied()),
                reference(word, &names),
                "{word}"
            );
        }
    }
}
