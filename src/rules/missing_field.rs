use std::sync::LazyLock;

use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::load::Entry;
use crate::model::{Finding, Severity};
use crate::vicidial::REQUIRED_PHONE_COLUMNS;
use crate::vicidial::{Column, RecordKind, column};

declare_rule! {
    /// ## What it catches
    /// A phone without one of `extension`, `dialplan_number`, `voicemail_id`,
    /// `server_ip`, `login` or `pass`, or with one of them empty (error); and
    /// a phone without `active` (warning).
    ///
    /// ## Why it matters
    /// VICIdial's admin refuses to add or modify a phone whose extension,
    /// dialplan number, voicemail id, login or password is empty or whose
    /// server IP is shorter than 7 characters (admin.php 14938 and 19723;
    /// vicidial-phones.md §2). `active` is not checked there, but it has no
    /// schema default: a row written without it holds NULL, which never
    /// matches `active = 'Y'`, so the phone can never log in (vicidial.php
    /// 4324, 4535) and gets no SIP/IAX peer or voicemail box
    /// (ADMIN_keepalive_ALL.pl 3635, 3807, 4804). `status` is not required:
    /// no VICIdial code reads it (§1).
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// extension = "cc100"
    /// server_ip = "10.10.10.15"
    /// status = "ACTIVE"
    /// # no dialplan_number, voicemail_id, login, pass or active
    /// ```
    ///
    /// ## How to fix
    /// Add the missing fields with non-empty values, and say `active = "Y"`
    /// (or `"N"`).
    pub struct MissingField {
        name: "missing-field",
        severity: Error,
        scope: Record,
        summary: "A phone lacks a field VICIdial requires (extension, dialplan_number, voicemail_id, server_ip, login, pass), or active",
        catches: "a phone without extension, dialplan_number, voicemail_id, server_ip, login or pass, or with one of them empty (VICIdial's admin refuses it); a phone without active (warning: stored as NULL, it can never log in)",
        also: [Warning],
        schema: true,
    }
}

/// The phone columns this rule reads: the required ones, then `active`.
/// A field's `column` is the column table's own, so a record's fields are
/// matched with these by address in one pass over them, rather than
/// searched by name seven times.
static READ: LazyLock<[Option<&'static Column>; 7]> = LazyLock::new(|| {
    let mut read = [None; 7];
    for (slot, name) in read
        .iter_mut()
        .zip(REQUIRED_PHONE_COLUMNS.into_iter().chain(["active"]))
    {
        *slot = column(RecordKind::Phone, name);
    }
    read
});

impl Rule for MissingField {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        // Each column's field, the last of a key written twice (as
        // `Record::field` finds it).
        let mut written: [Option<&Entry>; 7] = [None; 7];
        let columns: &[Option<&Column>; 7] = &READ;
        for entry in &ctx.record.fields {
            let Some(of) = entry.column else {
                continue;
            };
            let read = (columns.iter()).position(|read| read.is_some_and(|read| std::ptr::eq(read, of)));
            if let Some(slot) = read.and_then(|n| written.get_mut(n)) {
                *slot = Some(entry);
            }
        }
        let (required, active) = written.split_at(REQUIRED_PHONE_COLUMNS.len());
        let missing: Vec<&str> = REQUIRED_PHONE_COLUMNS
            .into_iter()
            .zip(required)
            .filter(|(_, entry)| entry.is_none())
            .map(|(name, _)| name)
            .collect();
        if !missing.is_empty() {
            let list = missing
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let plural = if missing.len() == 1 {
                "field"
            } else {
                "fields"
            };
            out.push(
                ctx.finding(
                    &Self::META,
                    ctx.anchor(),
                    format!("phone `{}` is missing {list}", ctx.key()),
                )
                .with_label(format!("this phone has no {list}"))
                .with_help(format!(
                    "add the required {plural}: VICIdial's admin refuses a phone without them"
                )),
            );
        }
        if active.first().copied().flatten().is_none() {
            out.push(
                ctx.finding(
                    &Self::META,
                    ctx.anchor(),
                    format!(
                        "phone `{}` sets no `active`: stored as NULL, it can never log in",
                        ctx.key()
                    ),
                )
                .with_severity(Severity::Warning)
                .with_label("no active here: NULL never matches active = 'Y'")
                .with_help("write active = \"Y\" for a working phone, or active = \"N\""),
            );
        }
        for (name, entry) in REQUIRED_PHONE_COLUMNS.into_iter().zip(required) {
            if let Some(entry) = entry
                && entry.value.value.as_str() == Some("")
            {
                out.push(
                    ctx.finding(&Self::META, entry.value.span, format!("`{name}` is empty"))
                        .with_label("empty")
                        .with_help(format!(
                            "VICIdial's admin refuses a phone with an empty `{name}`"
                        )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_read_is_a_phone_column() {
        assert!(READ.iter().all(Option::is_some));
    }
}
