use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;
use crate::vicidial::RecordKind;
use crate::vicidial::values::is_webphone_setting;

declare_rule! {
    /// ## What it catches
    /// A phone that sets `webphone_*` columns or `use_external_server_ip` while
    /// `is_webphone` is `N` (written, or omitted: N is the default). One
    /// finding per phone, on the first such setting, with the others and
    /// `is_webphone` labelled.
    ///
    /// ## Why it matters
    /// The webphone settings (dial pad, auto answer, layout, ...) apply only to
    /// a phone used as a webphone, that is with `is_webphone` `Y` or
    /// `Y_API_LAUNCH` (vicidial-phones.md §3, inferred from help.php
    /// 4529-4566). Set on a phone that is not a webphone, they do nothing,
    /// and usually mean either `is_webphone` was forgotten or the settings are
    /// leftovers.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// is_webphone = "N"
    /// webphone_auto_answer = "N"   # no effect
    /// ```
    ///
    /// ## How to fix
    /// Set `is_webphone = "Y"` if the phone is a webphone; otherwise remove the
    /// webphone settings.
    pub struct WebphoneSettingIgnored {
        name: "webphone-setting-ignored",
        severity: Info,
        scope: Record,
        summary: "webphone_* or use_external_server_ip set while is_webphone is N",
        catches: "webphone_* or use_external_server_ip set while is_webphone is N",
    }
}

impl Rule for WebphoneSettingIgnored {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        if ctx.record.kind != RecordKind::Phone {
            return;
        }
        if ctx
            .view
            .effective("is_webphone")
            .is_none_or(|is_webphone| is_webphone.text() != "N")
        {
            return;
        }
        let mut settings = ctx
            .record
            .fields
            .iter()
            .filter(|entry| is_webphone_setting(&entry.key));
        let Some(first) = settings.next() else {
            return;
        };
        let is_webphone = ctx.record.field("is_webphone");
        let why = if is_webphone.is_some() {
            "is not a webphone"
        } else {
            "sets no is_webphone (N by default)"
        };
        let mut finding = ctx
            .finding(
                &Self::META,
                first.key_span,
                format!("`{}` {why}: its webphone settings have no effect", ctx.key()),
            )
            .with_label(format!("`{}` applies only to webphones", first.key))
            .with_help("set is_webphone = \"Y\" if this phone is a webphone; otherwise remove the webphone settings");
        for other in settings {
            finding = finding.with_secondary(other.key_span, "no effect either");
        }
        if let Some(is_webphone) = is_webphone {
            finding = finding.with_secondary(is_webphone.value.span, "is_webphone N");
        }
        out.push(finding);
    }
}
