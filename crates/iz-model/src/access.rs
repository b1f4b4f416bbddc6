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
    /// Supervises people on probation: their own caseload in one region (supervision comes
    /// with its capability; until then this role sees no wanted-person alerts).
    ProbationOfficer,
    /// Works the anti-fraud and precursor centres' risk lists (their capabilities come later);
    /// sees no wanted-person alerts.
    Analyst,
    /// Supervising prosecutor: reads everything, including the audit log, and changes nothing.
    Prosecutor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Operator,
        Role::Ingest,
        Role::ProbationOfficer,
        Role::Analyst,
        Role::Prosecutor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Ingest => "ingest",
            Role::ProbationOfficer => "probation_officer",
            Role::Analyst => "analyst",
            Role::Prosecutor => "prosecutor",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// Whether this role acts for one region only, and so must have one.
    pub fn is_regional(self) -> bool {
        matches!(self, Role::Operator | Role::ProbationOfficer)
    }

    /// Every role name, for messages.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
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

    /// Whether this actor may see a wanted-person alert or entry of `region`.
    pub fn sees_region(&self, region: Region) -> bool {
        match self.role {
            Role::Admin | Role::Prosecutor => true,
            Role::Operator => self.region == Some(region),
            Role::Ingest | Role::ProbationOfficer | Role::Analyst => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, region: Option<&str>) -> Actor {
        Actor {
            id: "t".into(),
            role,
            region: region.map(|r| Region::parse(r).expect("region")),
        }
    }

    #[test]
    fn every_role_name_parses_back() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn who_sees_a_regions_alerts() {
        let almaty = Region::parse("KZ-75").expect("region");
        let astana = Region::parse("KZ-71").expect("region");
        assert!(actor(Role::Admin, None).sees_region(almaty));
        assert!(actor(Role::Prosecutor, None).sees_region(almaty));
        assert!(actor(Role::Operator, Some("KZ-75")).sees_region(almaty));
        assert!(!actor(Role::Operator, Some("KZ-75")).sees_region(astana));
        for role in [Role::Ingest, Role::Analyst, Role::ProbationOfficer] {
            assert!(!actor(role, Some("KZ-75")).sees_region(almaty), "{role}");
        }
    }
}
