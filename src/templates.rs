//! The one template engine of the crate (minijinja): every HTML page and email body is a
//! template under `templates/`, compiled into the binary, named by its path below it
//! (`desk/editor.html`, `email/confirm.txt`). `.html` templates escape every value; a value
//! missing from the context is an error, not an empty string. docs/desk.md says why minijinja.
//! The reader site's templates (`site/*`) can be replaced from a folder at startup
//! (`NEWSROOM_SITE_TEMPLATES`, [`replace_site_templates`]); docs/site.md describes it.

use std::path::Path;
use std::sync::OnceLock;

use anyhow::{bail, Context};
use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// A desk template's entry: its name and text.
macro_rules! desk {
    ($file:literal) => {
        (
            concat!("desk/", $file),
            include_str!(concat!("../templates/desk/", $file)),
        )
    };
}

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
        "desk/dashboard.html",
        include_str!("../templates/desk/dashboard.html"),
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
        "desk/partners.html",
        include_str!("../templates/desk/partners.html"),
    ),
    (
        "desk/partner.html",
        include_str!("../templates/desk/partner.html"),
    ),
    (
        "desk/partner_fields.html",
        include_str!("../templates/desk/partner_fields.html"),
    ),
    (
        "desk/partner_once.html",
        include_str!("../templates/desk/partner_once.html"),
    ),
    (
        "desk/partner_paused.html",
        include_str!("../templates/desk/partner_paused.html"),
    ),
    (
        "desk/partner_key_revoke.html",
        include_str!("../templates/desk/partner_key_revoke.html"),
    ),
    desk!("partner_deliveries.html"),
    desk!("partner_delivery.html"),
    desk!("partner_usage.html"),
    desk!("newsletters.html"),
    desk!("newsletter.html"),
    desk!("newsletter_fields.html"),
    desk!("issue_compose.html"),
    desk!("issue_preview.html"),
    desk!("issue_send.html"),
    desk!("issue_progress.html"),
    desk!("issue_progress_bar.html"),
    (
        "desk/subscribers.html",
        include_str!("../templates/desk/subscribers.html"),
    ),
    (
        "desk/subscriber.html",
        include_str!("../templates/desk/subscriber.html"),
    ),
    (
        "desk/subscriber_erase.html",
        include_str!("../templates/desk/subscriber_erase.html"),
    ),
    (
        "desk/subscriber_erased.html",
        include_str!("../templates/desk/subscriber_erased.html"),
    ),
    (
        "desk/subscriber_import.html",
        include_str!("../templates/desk/subscriber_import.html"),
    ),
    (
        "desk/subscriber_import_run.html",
        include_str!("../templates/desk/subscriber_import_run.html"),
    ),
    (
        "desk/subscriber_import_run_bar.html",
        include_str!("../templates/desk/subscriber_import_run_bar.html"),
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

/// The environment with the site's templates replaced from a folder, once set at startup.
static REPLACED: OnceLock<Environment<'static>> = OnceLock::new();

/// Reads every file of `dir` as the replacement of the compiled-in `site/<file name>`
/// template and compiles it with the others; from then on pages render with them. A file
/// that names no site template, cannot be read or does not compile is an error naming it, so
/// `serve` stops before it listens. Returns the names replaced. Once per process: the folder
/// is read at startup only (a change needs a restart, not a rebuild).
pub fn replace_site_templates(dir: &Path) -> anyhow::Result<Vec<&'static str>> {
    let (env, replaced) = with_site_folder(dir)?;
    if REPLACED.set(env).is_err() {
        bail!("the site's templates were already replaced");
    }
    Ok(replaced)
}

/// The compiled-in templates with those of `dir` in place of the site's of the same name.
pub fn with_site_folder(dir: &Path) -> anyhow::Result<(Environment<'static>, Vec<&'static str>)> {
    let shown = dir.display();
    let mut env = configured();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("NEWSROOM_SITE_TEMPLATES={shown}: the folder cannot be read"))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("NEWSROOM_SITE_TEMPLATES={shown}: the folder cannot be read"))?
            .path();
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !file.starts_with('.') {
            files.push((file, path));
        }
    }
    files.sort();
    let mut replaced = Vec::new();
    for (file, path) in files {
        let wanted = format!("site/{file}");
        let Some((name, _)) = TEMPLATES.iter().find(|(n, _)| *n == wanted) else {
            let known: Vec<&str> = TEMPLATES
                .iter()
                .filter_map(|(n, _)| n.strip_prefix("site/"))
                .collect();
            bail!(
                "NEWSROOM_SITE_TEMPLATES: {} replaces no template of the site; a file here must be named like one of {}",
                path.display(),
                known.join(", ")
            );
        };
        let source = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "NEWSROOM_SITE_TEMPLATES: {} cannot be read as UTF-8 text",
                path.display()
            )
        })?;
        // Read once at startup and kept for the life of the process.
        let source: &'static str = Box::leak(source.into_boxed_str());
        env.add_template(name, source).map_err(|err| {
            anyhow::anyhow!(
                "NEWSROOM_SITE_TEMPLATES: {} does not compile: {err:#}",
                path.display()
            )
        })?;
        replaced.push(*name);
    }
    Ok((env, replaced))
}

/// A new environment with the crate's settings, filters and functions, and no template.
fn configured() -> Environment<'static> {
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
    env
}

fn environment() -> &'static Result<Environment<'static>, minijinja::Error> {
    static ENV: OnceLock<Result<Environment<'static>, minijinja::Error>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = configured();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(env)
    })
}

/// Renders the template at `name` (its path under `templates/`) with `ctx`.
pub fn render(name: &str, ctx: impl serde::Serialize) -> anyhow::Result<String> {
    let env = match REPLACED.get() {
        Some(env) => env,
        None => environment()
            .as_ref()
            .map_err(|err| anyhow::anyhow!("templates do not compile: {err:#}"))?,
    };
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
