//! The names a desk page shows for the ids a story holds (outlets, sections, authors), read
//! once per page from the catalogue's stores: a few hundred rows at most.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use crate::error::Result;
use crate::state::AppState;
use crate::{authors, outlets, sections};

/// The most of each kind a page lists.
const MOST: i64 = 500;

/// One choice of a select or a checkbox list.
#[derive(Clone, Debug, Serialize)]
pub struct Choice {
    pub id: Uuid,
    pub name: String,
    /// The outlet an author writes for (none: any outlet's stories may carry them).
    pub outlet_id: Option<Uuid>,
}

pub struct Names {
    pub outlets: Vec<Choice>,
    pub sections: Vec<Choice>,
    pub authors: Vec<Choice>,
    by_id: HashMap<Uuid, String>,
}

impl Names {
    pub async fn load(state: &AppState) -> Result<Names> {
        let filter = outlets::store::ListFilter {
            q: None,
            country: None,
            language: None,
        };
        let outlets = outlets::store::list(&state.db, &filter, None, MOST).await?;
        let filter = sections::store::ListFilter {
            q: None,
            parent_id: None,
        };
        let sections = sections::store::list(&state.db, &filter, None, MOST).await?;
        let filter = authors::store::ListFilter {
            q: None,
            outlet_id: None,
        };
        let authors = authors::store::list(&state.db, &filter, None, MOST).await?;
        let outlets: Vec<Choice> = outlets
            .into_iter()
            .map(|o| Choice {
                id: o.id,
                name: o.name,
                outlet_id: None,
            })
            .collect();
        let sections: Vec<Choice> = sections
            .into_iter()
            .map(|s| Choice {
                id: s.id,
                name: s.name,
                outlet_id: None,
            })
            .collect();
        let authors: Vec<Choice> = authors
            .into_iter()
            .map(|a| Choice {
                id: a.id,
                name: a.name,
                outlet_id: a.outlet_id,
            })
            .collect();
        let by_id = outlets
            .iter()
            .chain(&sections)
            .chain(&authors)
            .map(|c| (c.id, c.name.clone()))
            .collect();
        Ok(Names {
            outlets,
            sections,
            authors,
            by_id,
        })
    }

    /// The name of `id`, or a dash when it is not among those read.
    pub fn of(&self, id: Option<Uuid>) -> String {
        id.and_then(|id| self.by_id.get(&id).cloned())
            .unwrap_or_else(|| "—".into())
    }

    /// "A, B and C".
    pub fn byline(&self, ids: &[Uuid]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.of(Some(*id))).collect();
        match names.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// The outlets `member_of` says a user may write in.
    pub fn outlets_where(&self, member_of: impl Fn(Uuid) -> bool) -> Vec<Choice> {
        self.outlets
            .iter()
            .filter(|o| member_of(o.id))
            .cloned()
            .collect()
    }
}
