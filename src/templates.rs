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

/// A template's entry: its path under `templates/` and its text.
macro_rules! tpl {
    ($path:literal) => {
        ($path, include_str!(concat!("../templates/", $path)))
    };
}

/// Every template, by its path under `templates/`.
const TEMPLATES: &[(&str, &str)] = &[
    tpl!("email/confirm.txt"),
    tpl!("email/confirm.html"),
    tpl!("email/issue.txt"),
    tpl!("email/issue.html"),
    tpl!("subscriptions/layout.html"),
    tpl!("subscriptions/confirm.html"),
    tpl!("subscriptions/confirmed.html"),
    tpl!("subscriptions/unsubscribe.html"),
    tpl!("subscriptions/unsubscribed.html"),
    tpl!("subscriptions/problem.html"),
    tpl!("desk/layout.html"),
    tpl!("desk/login.html"),
    tpl!("desk/dashboard.html"),
    tpl!("desk/problem.html"),
    tpl!("desk/stories.html"),
    tpl!("desk/editor.html"),
    tpl!("desk/preview.html"),
    tpl!("desk/conflict.html"),
    tpl!("desk/macros.html"),
    tpl!("desk/presence.html"),
    tpl!("desk/revisions.html"),
    tpl!("desk/compare.html"),
    tpl!("desk/catalogue_nav.html"),
    tpl!("desk/delete.html"),
    tpl!("desk/outlets.html"),
    tpl!("desk/outlet.html"),
    tpl!("desk/outlet_fields.html"),
    tpl!("desk/sections.html"),
    tpl!("desk/section.html"),
    tpl!("desk/section_fields.html"),
    tpl!("desk/authors.html"),
    tpl!("desk/author.html"),
    tpl!("desk/author_fields.html"),
    tpl!("desk/staff.html"),
    tpl!("desk/staff_account.html"),
    tpl!("desk/staff_deactivate.html"),
    tpl!("desk/audit_log.html"),
    tpl!("desk/partners.html"),
    tpl!("desk/partner.html"),
    tpl!("desk/partner_fields.html"),
    tpl!("desk/partner_once.html"),
    tpl!("desk/partner_paused.html"),
    tpl!("desk/partner_key_revoke.html"),
    tpl!("desk/partner_deliveries.html"),
    tpl!("desk/partner_delivery.html"),
    tpl!("desk/partner_usage.html"),
    tpl!("desk/newsletters.html"),
    tpl!("desk/newsletter.html"),
    tpl!("desk/newsletter_fields.html"),
    tpl!("desk/issue_compose.html"),
    tpl!("desk/issue_preview.html"),
    tpl!("desk/issue_send.html"),
    tpl!("desk/issue_progress.html"),
    tpl!("desk/issue_progress_bar.html"),
    tpl!("desk/subscribers.html"),
    tpl!("desk/subscriber.html"),
    tpl!("desk/subscriber_erase.html"),
    tpl!("desk/subscriber_erased.html"),
    tpl!("desk/subscriber_import.html"),
    tpl!("desk/subscriber_import_run.html"),
    tpl!("desk/subscriber_import_run_bar.html"),
    tpl!("site/layout.html"),
    tpl!("site/signup_block.html"),
    tpl!("site/macros.html"),
    tpl!("site/front.html"),
    tpl!("site/outlet.html"),
    tpl!("site/section.html"),
    tpl!("site/story.html"),
    tpl!("site/author.html"),
    tpl!("site/search.html"),
    tpl!("site/problem.html"),
    tpl!("site/signup.html"),
    tpl!("site/signed_up.html"),
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
