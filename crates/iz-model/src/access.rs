//! Who may do what. A caller is an [`Actor`]: a token or (later) a signed-in user, with one
//! [`Role`] and, for regional roles, one region. Checks live in the API; the model only names
//! the roles so that reviews and audit records can say who acted.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::region::Region;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages watch-lists and tokens; reads everything.
    Admin,
    /// A duty operator: reads and reviews the alerts of one region.
    Operator,
    /// An integrator's system: posts events, nothing else.
    Ingest,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Operator, Role::Ingest];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Ingest => "ingest",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// Whether this role acts for one region only, and so must have one.
    pub fn is_regional(self) -> bool {
        matches!(self, Role::Operator)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Someone or something acting: who, in what role, for which region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// A stable name for the audit log, e.g. `token:7` or `system:demo`.
    pub id: String,
    pub role: Role,
    pub region: Option<Region>,
}

impl Actor {
    pub fn system(name: &str) -> Actor {
        Actor {
            id: format!("system:{name}"),
            role: Role::Admin,
            region: None,
        }
    }

    /// Whether this actor may see an alert or entry of `region`.
    pub fn sees_region(&self, region: Region) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Operator => self.region == Some(region),
            Role::Ingest => false,
        }
    }
}
