//! Staff roles, strongest first.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type, ToSchema)]
#[sqlx(type_name = "user_role", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Editor,
    Writer,
}

impl Role {
    /// Every role, strongest first (the desk's choices).
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Writer];

    /// The role's name in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Writer => "writer",
        }
    }

    /// The role named `raw` (as `as_str` spells it).
    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Whether this role includes everything `other` may do.
    pub fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Role::Admin => 3,
            Role::Editor => 2,
            Role::Writer => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Admin.at_least(Editor) && Editor.at_least(Writer) && Writer.at_least(Writer));
        assert!(!Writer.at_least(Editor) && !Editor.at_least(Admin));
    }

    #[test]
    fn names_are_the_serde_names() {
        for role in super::Role::ALL {
            let json = serde_json::to_value(role).unwrap();
            assert_eq!(json, serde_json::json!(role.as_str()));
            assert_eq!(super::Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(super::Role::parse("root"), None);
    }
}
