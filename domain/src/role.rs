use crate::DomainError;
use serde::{Deserialize, Serialize};

/// What someone may do on the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the platform: users, organisations, programs, cohorts.
    Admin,
    /// Runs a cohort: content, sessions, circles, moderation.
    Facilitator,
    /// Takes part in a cohort.
    #[default]
    Participant,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Facilitator, Role::Participant];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Facilitator => "facilitator",
            Role::Participant => "participant",
        }
    }

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == input.trim())
            .ok_or(DomainError::RoleUnknown)
    }

    /// Users, roles, organisations, programs and cohorts are the admins' to manage.
    pub fn may_administer(self) -> bool {
        self == Role::Admin
    }

    /// Sessions are planned and run by facilitators (and admins, who may do everything).
    pub fn may_facilitate(self) -> bool {
        matches!(self, Role::Admin | Role::Facilitator)
    }

    /// Admins read every cohort's forum; the others read those of their cohorts.
    pub fn reads_every_forum(self) -> bool {
        self == Role::Admin
    }

    /// Whether someone runs one cohort (its circles, moderation, planning, registrants
    /// and members): admins run every cohort, facilitators those they are `assigned`
    /// to, participants none, whatever a stale assignment says.
    pub fn runs_cohort(self, assigned: bool) -> bool {
        match self {
            Role::Admin => true,
            Role::Facilitator => assigned,
            Role::Participant => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("root"), Err(DomainError::RoleUnknown));
        assert_eq!(Role::parse("Admin"), Err(DomainError::RoleUnknown));
    }

    #[test]
    fn permissions() {
        let table = [
            (Role::Admin, true, true, true),
            (Role::Facilitator, false, true, false),
            (Role::Participant, false, false, false),
        ];
        for (role, administer, facilitate, every_forum) in table {
            assert_eq!(role.may_administer(), administer, "{role:?}");
            assert_eq!(role.may_facilitate(), facilitate, "{role:?}");
            assert_eq!(role.reads_every_forum(), every_forum, "{role:?}");
        }
    }

    #[test]
    fn a_cohort_is_run_by_admins_and_its_own_facilitators() {
        let table = [
            (Role::Admin, false, true),
            (Role::Admin, true, true),
            (Role::Facilitator, true, true),
            (Role::Facilitator, false, false),
            (Role::Participant, true, false),
            (Role::Participant, false, false),
        ];
        for (role, assigned, runs) in table {
            assert_eq!(
                role.runs_cohort(assigned),
                runs,
                "{role:?}, assigned {assigned}"
            );
        }
    }
}
