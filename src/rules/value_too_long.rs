use super::{RecordContext, Rule, RuleMeta, declare_rule};
use crate::finding::Finding;
use crate::model::ValueError;

declare_rule! {
    /// ## What it catches
    /// A value longer than its VICIdial column: VARCHAR(n) columns hold n
    /// characters, TEXT columns 65,535 bytes.
    ///
    /// ## Why it matters
    /// MySQL truncates what does not fit (or refuses the row in strict mode).
    /// `login` is VARCHAR(15) although the API documentation says 1-20
    /// characters (vicidial-phones.md §2), `company` only 10, `status` 10: the
    /// phone VICIdial stores is not the phone the repository describes.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// login = "frontdesk-reception-01"   # 21 characters; the column holds 15
    /// ```
    ///
    /// ## How to fix
    /// Shorten the value to the column's length (the message gives it).
    pub struct ValueTooLong {
        name: "value-too-long",
        severity: Error,
        summary: "A value longer than its VICIdial column (MySQL would truncate it)",
    }
}

impl Rule for ValueTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            let Some(column) = column else {
                continue;
            };
            if let Err(ValueError::TooLong { max, length, unit }) = column.check(&entry.value.value)
            {
                out.push(
                    ctx.finding(
                        &Self::META,
                        entry.value.span,
                        format!(
                            "`{}` is {length} {unit} long; VICIdial's column holds {max}",
                            column.name
                        ),
                    )
                    .with_label(format!("{length} {unit}, at most {max}"))
                    .with_help(format!(
                        "shorten it to at most {max} {unit}: MySQL would truncate the rest"
                    )),
                );
            }
        }
    }
}
