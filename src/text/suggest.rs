//! "Did you mean ...?": the closest candidate to a misspelt word.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::hash::FnvBuild;

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    edit_distance_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`edit_distance`] when it is at most `limit`, else `None`, found without
/// finishing the table once every path through it costs more than `limit`
/// (a row's smallest cell never decreases further down).
pub fn edit_distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    // Column names and logins are short ASCII: bytes are characters, and the
    // row fits on the stack (this runs up to a million times per check).
    const SHORT: usize = 64;
    if a.is_ascii() && b.is_ascii() && b.len() < SHORT {
        let mut row = [0; SHORT];
        return levenshtein(a.bytes(), b.as_bytes(), &mut row, limit);
    }
    let b: Vec<char> = b.chars().collect();
    let mut row = vec![0; b.len() + 1];
    levenshtein(a.chars(), &b, &mut row, limit)
}

/// Levenshtein distance of `a` and `b`, in a `row` longer than `b`, or `None`
/// as soon as it must exceed `limit`.
fn levenshtein<T: PartialEq>(
    a: impl Iterator<Item = T>,
    b: &[T],
    row: &mut [usize],
    limit: usize,
) -> Option<usize> {
    let row = row.get_mut(..=b.len())?;
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, ca) in a.enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        let mut smallest = row[0];
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            smallest = smallest.min(row[j + 1]);
            diagonal = above;
        }
        if smallest > limit {
            return None;
        }
    }
    Some(row[b.len()]).filter(|distance| *distance <= limit)
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
            let distance = edit_distance_within(&lower, &candidate.to_lowercase(), limit)?;
            Some((distance, candidate))
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Many look-ups against one list of candidates: each candidate is lower-cased
/// once and filed by length, so a look-up compares only the candidates whose
/// length is close enough to pass [`closest`]'s limit. Gives the same answers
/// as [`closest`] over the same candidates, as long as its budget of
/// comparisons lasts: thousands of misspelt words against thousands of
/// candidates would otherwise cost their product. Once spent, it finds nothing.
pub struct Dictionary<'a> {
    /// Candidates by length in characters: each as given (borrowed when it
    /// can be), its position in the list, the characters it holds as
    /// [`characters`], and lower-cased when that differs.
    /// Keyed with FNV: a million logins are filed one by one, and SipHash
    /// was a quarter of the filing.
    by_length: HashMap<usize, Vec<Candidate<'a>>, FnvBuild>,
    /// Comparisons left (atomic, so that a fixed dictionary can be shared
    /// by every thread).
    budget: AtomicUsize,
}

/// One candidate of a [`Dictionary`].
struct Candidate<'a> {
    given: Cow<'a, str>,
    position: usize,
    held: u64,
    /// `given` lower-cased, when that is not `given` itself.
    lower: Option<Box<str>>,
}

impl Candidate<'_> {
    fn lower(&self) -> &str {
        self.lower.as_deref().unwrap_or(&self.given)
    }
}

/// The characters of `word` as a set of 64 bits (a character sets bit
/// `code % 64`): the characters a word has that another lacks are at least
/// as many as the bits it has that the other lacks, so counting those bits
/// never overstates an edit distance.
fn characters(word: &str) -> u64 {
    word.chars()
        .fold(0, |set, c| set | (1u64 << (u32::from(c) % 64)))
}

/// `word` lower-cased, when that is not `word` itself: without a copy for a
/// word already in lower case (most logins and names, a million of them in
/// a large repository's dictionary).
fn lower_case(word: &str) -> Option<Box<str>> {
    if word.is_ascii() {
        return (word.bytes().any(|byte| byte.is_ascii_uppercase()))
            .then(|| word.to_ascii_lowercase().into_boxed_str());
    }
    let lowered = word.to_lowercase();
    (lowered != word).then(|| lowered.into_boxed_str())
}

/// Comparisons a [`Dictionary`] makes at most, over all its look-ups.
pub const DICTIONARY_BUDGET: usize = 1_000_000;

impl<'a> Dictionary<'a> {
    /// A dictionary of `candidates`, borrowed where they are.
    pub fn new(candidates: impl IntoIterator<Item = impl Into<Cow<'a, str>>>) -> Self {
        Self::with_budget(candidates, DICTIONARY_BUDGET)
    }

    /// A dictionary of a fixed, short list of candidates (a table's
    /// columns), whose look-ups cost little enough to need no budget.
    pub fn unlimited(candidates: impl IntoIterator<Item = impl Into<Cow<'a, str>>>) -> Self {
        Self::with_budget(candidates, usize::MAX)
    }

    fn with_budget(
        candidates: impl IntoIterator<Item = impl Into<Cow<'a, str>>>,
        budget: usize,
    ) -> Self {
        let mut by_length: HashMap<usize, Vec<_>, FnvBuild> = HashMap::default();
        for (position, given) in candidates.into_iter().enumerate() {
            let given: Cow<'a, str> = given.into();
            let lower = lower_case(&given);
            let lowered = lower.as_deref().unwrap_or(&given);
            let held = characters(lowered);
            let length = lowered.chars().count();
            by_length.entry(length).or_default().push(Candidate {
                given,
                position,
                held,
                lower,
            });
        }
        Self {
            by_length,
            budget: AtomicUsize::new(budget),
        }
    }

    /// The candidate closest to `word`, as [`closest`] finds it.
    pub fn closest(&self, word: &str) -> Option<&str> {
        let lower = word.to_lowercase();
        let length = lower.chars().count();
        let held = characters(&lower);
        let mut best: Option<(usize, usize, &str)> = None;
        for candidate_length in length.saturating_sub(3)..=length + 3 {
            let limit = (length.max(candidate_length) / 3).clamp(1, 3);
            if candidate_length.abs_diff(length) > limit {
                continue;
            }
            let Some(bucket) = self.by_length.get(&candidate_length) else {
                continue;
            };
            let left = self.budget.load(Ordering::Relaxed);
            if left < bucket.len() {
                self.budget.store(0, Ordering::Relaxed);
                return None;
            }
            if left != usize::MAX {
                self.budget.store(left - bucket.len(), Ordering::Relaxed);
            }
            for candidate in bucket {
                // Each character of the word that the candidate lacks takes
                // an edit: more of them than the limit rules it out at once.
                let lacking = (held & !candidate.held).count_ones();
                if usize::try_from(lacking).unwrap_or(usize::MAX) > limit {
                    continue;
                }
                let Some(distance) = edit_distance_within(&lower, candidate.lower(), limit) else {
                    continue;
                };
                if best.is_none_or(|b| (distance, candidate.position) < (b.0, b.1)) {
                    best = Some((distance, candidate.position, &candidate.given));
                }
            }
        }
        best.map(|(_, _, given)| given)
    }
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
        // Longer than the stack row: the general path gives the same answer.
        let long = "x".repeat(70);
        assert_eq!(edit_distance(&long, &format!("{long}y")), 1);
        assert_eq!(edit_distance("abc", &format!("abc{long}")), 70);
        // Within a limit: the same distance, or nothing once it is exceeded.
        assert_eq!(edit_distance_within("kitten", "sitting", 3), Some(3));
        assert_eq!(edit_distance_within("kitten", "sitting", 2), None);
        assert_eq!(edit_distance_within("p000123", "ghost12", 3), None);
        assert_eq!(edit_distance_within(&long, &format!("{long}y"), 1), Some(1));
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
    fn lower_case_is_to_lowercase_when_it_differs() {
        for word in [
            "", "cc100", "CC100", "Cc1x", "é", "É", "Straße", "ΣΑΣ", "aİ", "x\u{7f}",
        ] {
            let lowered = word.to_lowercase();
            let expected = (lowered != word).then_some(lowered.as_str());
            assert_eq!(lower_case(word).as_deref(), expected, "{word:?}");
        }
    }

    #[test]
    fn dictionary_agrees_with_closest() {
        let candidates = [
            "cc100",
            "cc120",
            "CC121",
            "frontdesk",
            "a",
            "ab",
            "support12",
            "x",
        ];
        let dictionary = Dictionary::new(candidates);
        for word in [
            "cc12",
            "cc1200",
            "Cc100",
            "frontdsk",
            "fronddesk2",
            "b",
            "abc",
            "support",
            "nothing-like-it",
            "",
        ] {
            assert_eq!(
                dictionary.closest(word),
                closest(word, candidates),
                "{word}"
            );
        }
    }

    #[test]
    fn dictionary_stops_when_its_budget_is_spent() {
        let candidates: Vec<String> = (0..DICTIONARY_BUDGET / 2 + 1)
            .map(|n| format!("{n:07}"))
            .collect();
        let dictionary = Dictionary::new(candidates);
        assert_eq!(dictionary.closest("000000x"), Some("0000000"));
        assert_eq!(dictionary.closest("000000x"), None);
    }

    #[test]
    fn the_length_filter_keeps_every_answer() {
        // The search without the length filter, as a reference.
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
        // Column names of VICIdial's phones table, as a vocabulary.
        let names = [
            "extension",
            "dialplan_number",
            "voicemail_id",
            "server_ip",
            "login",
            "pass",
            "status",
            "active",
            "phone_type",
            "fullname",
            "protocol",
            "local_gmt",
            "ASTmgrUSERNAME",
            "ASTmgrSECRET",
            "conf_secret",
            "is_webphone",
            "voicemail_dump_exten",
            "email",
        ];
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
