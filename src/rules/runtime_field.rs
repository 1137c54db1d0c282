use super::context::RecordContext;
use super::meta::declare_rule;
use super::rule::Rule;
use crate::model::Finding;

declare_rule! {
    /// ## What it catches
    /// A column that VICIdial writes at run time set in a definition: for
    /// phones `messages`, `old_messages`, `phone_ip`, `computer_ip`,
    /// `peer_status` and `ping_time` (and the load and version columns of
    /// servers).
    ///
    /// ## Why it matters
    /// VICIdial owns these values (vicidial-phones.md §3): the AMI listener
    /// writes `phone_ip`, `peer_status` and `ping_time`
    /// (AST_manager_listen_AMI2.pl 622, 686), the voicemail updater
    /// `messages` and `old_messages` (AST_vm_update.pl 359), and the agent
    /// screen `computer_ip` at login (vicidial.php 4631). A repository that sets them either fights VICIdial (every
    /// apply resets live state) or goes stale the moment VICIdial writes them.
    /// They usually arrive from a database export copied as is.
    ///
    /// ## Example
    /// ```toml
    /// [[phones]]
    /// phone_ip = "10.10.10.16"   # written by VICIdial
    /// messages = 0
    /// ```
    ///
    /// ## How to fix
    /// Remove the field from the definition and let VICIdial keep it.
    pub struct RuntimeField {
        name: "runtime-field",
        severity: Info,
        scope: Record,
        summary: "A column VICIdial writes at run time (messages, phone_ip, peer_status, ...) set in a definition",
        catches: "a column VICIdial writes at run time (messages, old_messages, phone_ip, computer_ip, peer_status, ping_time) set in a definition",
    }
}

impl Rule for RuntimeField {
    fn check_record(&self, ctx: &RecordContext<'_>, out: &mut Vec<Finding>) {
        for (entry, column) in ctx.fields() {
            if !column.is_some_and(|c| c.runtime) {
                continue;
            }
            out.push(
                ctx.finding(
                    &Self::META,
                    entry.key_span,
                    format!("`{}` is written by VICIdial at run time", entry.key),
                )
                .with_label("VICIdial owns this value")
                .with_help(format!(
                    "remove `{}` from the definition and let VICIdial keep it",
                    entry.key
                )),
            );
        }
    }
}
