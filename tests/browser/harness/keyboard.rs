//! The keyboard, as a reader who does not use a mouse has it: real key presses through
//! WebDriver's input actions (not element clicks or synthetic events), and Tab until the
//! control wanted has the focus, so a control that the Tab order never reaches fails.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

use super::Browser;

/// How many Tab presses a test may spend looking for a control before it fails.
const MAX_TABS: usize = 40;

impl Browser {
    /// Presses and releases one key (`Key::Tab`, `Key::Enter`, …).
    pub async fn press(&self, key: Key) {
        let value = char::from(key);
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
        self.client()
            .perform_actions(actions)
            .await
            .unwrap_or_else(|err| panic!("pressing {key:?}: {err}"));
    }

    /// Types `text` into whatever has the focus, key by key.
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for value in text.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client()
            .perform_actions(actions)
            .await
            .unwrap_or_else(|err| panic!("typing {text:?}: {err}"));
    }

    /// What a screen reader would call the focused element: the text of its `<label>` (a
    /// field), its `aria-label`, its text (a link or a button) or its value; else its tag
    /// and name. Empty when nothing has the focus.
    pub async fn focused(&self) -> String {
        let described = self
            .client()
            .execute(
                "const e = document.activeElement;
                 if (!e || e === document.body) return '';
                 const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
                 const text = label || e.getAttribute('aria-label') || e.innerText || e.value || '';
                 return text.trim() || (e.tagName.toLowerCase() + ' ' + (e.name || e.id || ''));",
                vec![],
            )
            .await
            .unwrap_or_else(|err| panic!("reading the focused element: {err}"));
        described.as_str().unwrap_or_default().to_owned()
    }

    /// Presses Tab until the focused control is called `label` (see [`Browser::focused`]: a
    /// field by its `<label>`, so an unlabelled field is never found); answers how many
    /// presses it took. Fails, listing the stops on the way, when the Tab order does not reach it.
    pub async fn tab_to(&self, label: &str) -> usize {
        let mut stops = Vec::new();
        for presses in 1..=MAX_TABS {
            self.press(Key::Tab).await;
            let focused = self.focused().await;
            if focused == label {
                self.assert_focus_visible(label).await;
                return presses;
            }
            if stops.last() == Some(&focused) && focused.is_empty() {
                continue;
            }
            stops.push(focused);
        }
        panic!("Tab never reached {label:?}; the focus went through {stops:?}");
    }

    /// Fails unless the focused control shows that it has the focus (WCAG 2.4.7): an outline
    /// or a box shadow while it matches `:focus-visible`.
    pub async fn assert_focus_visible(&self, label: &str) {
        let shown = self
            .client()
            .execute(
                "const e = document.activeElement;
                 const s = getComputedStyle(e);
                 const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                 return e.matches(':focus-visible') && (outline || s.boxShadow !== 'none');",
                vec![],
            )
            .await
            .unwrap_or_else(|err| panic!("reading the focus style of {label:?}: {err}"));
        assert_eq!(
            shown,
            serde_json::Value::Bool(true),
            "{label:?} has the focus but does not show it (no outline or shadow)"
        );
    }
}
