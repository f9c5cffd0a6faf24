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
}
