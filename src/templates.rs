//! The one template engine of the crate (minijinja): every HTML page and email body is a
//! template under `templates/`, compiled into the binary, named by its path below it
//! (`desk/editor.html`, `email/confirm.txt`). `.html` templates escape every value; a value
//! missing from the context is an error, not an empty string. docs/desk.md says why minijinja.

use std::sync::OnceLock;

use anyhow::Context;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// Every template, by its path under `templates/`.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "email/confirm.txt",
        include_str!("../templates/email/confirm.txt"),
    ),
    (
        "email/confirm.html",
        include_str!("../templates/email/confirm.html"),
    ),
    (
        "email/issue.txt",
        include_str!("../templates/email/issue.txt"),
    ),
    (
        "email/issue.html",
        include_str!("../templates/email/issue.html"),
    ),
    (
        "subscriptions/layout.html",
        include_str!("../templates/subscriptions/layout.html"),
    ),
    (
        "subscriptions/confirm.html",
        include_str!("../templates/subscriptions/confirm.html"),
    ),
    (
        "subscriptions/confirmed.html",
        include_str!("../templates/subscriptions/confirmed.html"),
    ),
    (
        "subscriptions/unsubscribe.html",
        include_str!("../templates/subscriptions/unsubscribe.html"),
    ),
    (
        "subscriptions/unsubscribed.html",
        include_str!("../templates/subscriptions/unsubscribed.html"),
    ),
    (
        "subscriptions/problem.html",
        include_str!("../templates/subscriptions/problem.html"),
    ),
    (
        "desk/layout.html",
        include_str!("../templates/desk/layout.html"),
    ),
    (
        "desk/login.html",
        include_str!("../templates/desk/login.html"),
    ),
    (
        "desk/problem.html",
        include_str!("../templates/desk/problem.html"),
    ),
    (
        "desk/stories.html",
        include_str!("../templates/desk/stories.html"),
    ),
    (
        "desk/editor.html",
        include_str!("../templates/desk/editor.html"),
    ),
    (
        "desk/preview.html",
        include_str!("../templates/desk/preview.html"),
    ),
    (
        "desk/conflict.html",
        include_str!("../templates/desk/conflict.html"),
    ),
    (
        "desk/macros.html",
        include_str!("../templates/desk/macros.html"),
    ),
    (
        "desk/presence.html",
        include_str!("../templates/desk/presence.html"),
    ),
    (
        "desk/revisions.html",
        include_str!("../templates/desk/revisions.html"),
    ),
    (
        "desk/compare.html",
        include_str!("../templates/desk/compare.html"),
    ),
    (
        "desk/catalogue_nav.html",
        include_str!("../templates/desk/catalogue_nav.html"),
    ),
    (
        "desk/delete.html",
        include_str!("../templates/desk/delete.html"),
    ),
    (
        "desk/outlets.html",
        include_str!("../templates/desk/outlets.html"),
    ),
    (
        "desk/outlet.html",
        include_str!("../templates/desk/outlet.html"),
    ),
    (
        "desk/outlet_fields.html",
        include_str!("../templates/desk/outlet_fields.html"),
    ),
    (
        "desk/sections.html",
        include_str!("../templates/desk/sections.html"),
    ),
    (
        "desk/section.html",
        include_str!("../templates/desk/section.html"),
    ),
    (
        "desk/section_fields.html",
        include_str!("../templates/desk/section_fields.html"),
    ),
    (
        "desk/authors.html",
        include_str!("../templates/desk/authors.html"),
    ),
    (
        "desk/author.html",
        include_str!("../templates/desk/author.html"),
    ),
    (
        "desk/author_fields.html",
        include_str!("../templates/desk/author_fields.html"),
    ),
    (
        "desk/staff.html",
        include_str!("../templates/desk/staff.html"),
    ),
    (
        "desk/staff_account.html",
        include_str!("../templates/desk/staff_account.html"),
    ),
    (
        "desk/staff_deactivate.html",
        include_str!("../templates/desk/staff_deactivate.html"),
    ),
    (
        "desk/audit_log.html",
        include_str!("../templates/desk/audit_log.html"),
    ),
    (
        "site/layout.html",
        include_str!("../templates/site/layout.html"),
    ),
    (
        "site/signup_block.html",
        include_str!("../templates/site/signup_block.html"),
    ),
    (
        "site/macros.html",
        include_str!("../templates/site/macros.html"),
    ),
    (
        "site/front.html",
        include_str!("../templates/site/front.html"),
    ),
    (
        "site/outlet.html",
        include_str!("../templates/site/outlet.html"),
    ),
    (
        "site/section.html",
        include_str!("../templates/site/section.html"),
    ),
    (
        "site/story.html",
        include_str!("../templates/site/story.html"),
    ),
    (
        "site/author.html",
        include_str!("../templates/site/author.html"),
    ),
    (
        "site/search.html",
        include_str!("../templates/site/search.html"),
    ),
    (
        "site/problem.html",
        include_str!("../templates/site/problem.html"),
    ),
    (
        "site/signup.html",
        include_str!("../templates/site/signup.html"),
    ),
    (
        "site/signed_up.html",
        include_str!("../templates/site/signed_up.html"),
    ),
];

/// `{{ at|long_date }}`: an RFC 3339 time (as a date serialises) as "November 11, 2019";
/// anything else unchanged.
fn long_date(value: String) -> String {
    chrono::DateTime::parse_from_rfc3339(&value)
        .map(|at| at.format("%B %-d, %Y").to_string())
        .unwrap_or(value)
}

fn environment() -> &'static Result<Environment<'static>, minijinja::Error> {
    static ENV: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // The default callback already escapes `.html` names; spelt out because it matters.
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        // `{{ asset("desk.css") }}`: the content-hashed URL of an embedded static file.
        // The URL is ours, not input: marked safe so it reads as written.
        env.add_function("asset", |name: &str| {
            minijinja::Value::from_safe_string(crate::assets::url(name))
        });
        env.add_filter("long_date", long_date);
        // `{{ slug|segment }}`: a path segment, percent-encoded (slugs keep every script).
        env.add_filter("segment", |raw: String| crate::public::urls::segment(&raw));
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(env)
    })
}

/// Renders the template at `name` (its path under `templates/`) with `ctx`.
pub fn render(name: &str, ctx: impl serde::Serialize) -> anyhow::Result<String> {
    let env = environment()
        .as_ref()
        .map_err(|err| anyhow::anyhow!("templates do not compile: {err:#}"))?;
    env.get_template(name)
        .with_context(|| format!("no template {name}"))?
        .render(ctx)
        .with_context(|| format!("rendering the template {name}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        assert!(
            super::environment().is_ok(),
            "{:?}",
            super::environment().as_ref().err()
        );
    }
}
