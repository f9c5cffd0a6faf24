//! axe-core in the page under test: the vendored `axe.min.js` (version and hash in
//! `tests/browser/vendor/VENDOR.md`) is injected through WebDriver's execute-script, which the
//! pages' content security policy does not govern, and `axe.run()` checks the whole document
//! with its default rules (WCAG 2.0–2.2 A/AA and best practices). The app never serves it.

use std::fmt;

use fantoccini::Client;
use serde::Deserialize;

const AXE_SOURCE: &str = include_str!("../vendor/axe.min.js");

/// Runs axe-core after injecting it when the page does not have it yet, and answers with the
/// results as JSON text (`done` is WebDriver's callback of an asynchronous script).
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
axe.run(document, { resultTypes: ["violations"] })
  .then((results) => done(JSON.stringify({ ok: results.violations })))
  .catch((err) => done(JSON.stringify({ err: String(err) })));
"#;

/// One rule the page breaks, with every element that breaks it.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    #[serde(rename = "helpUrl")]
    pub help_url: String,
    pub nodes: Vec<ViolatingNode>,
}

#[derive(Debug, Deserialize)]
pub struct ViolatingNode {
    pub target: serde_json::Value,
    pub html: String,
    #[serde(rename = "failureSummary")]
    pub failure_summary: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Outcome {
    Ok(Vec<Violation>),
    Err(String),
}

/// axe-core's violations on the current page (empty when it finds nothing).
pub async fn axe(client: &Client) -> Vec<Violation> {
    let present = client
        .execute("return typeof window.axe === 'object';", vec![])
        .await
        .unwrap_or_else(|err| panic!("checking for axe-core: {err}"));
    if present != serde_json::Value::Bool(true) {
        client
            .execute(AXE_SOURCE, vec![])
            .await
            .unwrap_or_else(|err| panic!("injecting axe-core: {err}"));
    }
    let answer = client
        .execute_async(RUN_AXE, vec![])
        .await
        .unwrap_or_else(|err| panic!("running axe-core: {err}"));
    let text = answer.as_str().unwrap_or_default();
    match serde_json::from_str::<Outcome>(text) {
        Ok(Outcome::Ok(violations)) => violations,
        Ok(Outcome::Err(err)) => panic!("axe-core failed: {err}"),
        Err(err) => panic!("axe-core answered what we cannot read ({err}): {text}"),
    }
}

/// The violations as a reader of a failed test wants them: rule, impact, help, and each
/// element with its selector, markup and what to fix.
pub struct Report<'a>(pub &'a [Violation]);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for v in self.0 {
            writeln!(
                f,
                "- {} ({}): {}\n  {}",
                v.id,
                v.impact.as_deref().unwrap_or("no impact given"),
                v.help,
                v.help_url
            )?;
            for node in &v.nodes {
                writeln!(f, "  * {} {}", node.target, node.html)?;
                if let Some(summary) = &node.failure_summary {
                    for line in summary.lines() {
                        writeln!(f, "      {line}")?;
                    }
                }
            }
        }
        Ok(())
    }
}
