//! Invitations into a cohort: the list of people a facilitator pastes, the
//! bounds on what one invitation may promise, and what a link says when
//! someone follows it.

use crate::{DisplayName, DomainError, Email};
use serde::{Deserialize, Serialize};

/// At most this many people are invited in one request.
pub const MAX_PER_REQUEST: usize = 500;
/// At most this many invitations are sent by one facilitator in a day.
pub const MAX_PER_DAY: i64 = 1000;
/// How long an invitation may stay valid.
pub const MAX_DAYS: i64 = 90;
/// The largest limit on uses a link may have.
pub const MAX_USES: i64 = 1000;

/// How long an invitation stays valid, in days: 1 to [`MAX_DAYS`].
pub fn valid_days(input: &str) -> Result<i64, DomainError> {
    input
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|days| (1..=MAX_DAYS).contains(days))
        .ok_or(DomainError::InvitationDaysInvalid)
}

/// How many accounts a link may bring in: empty for no limit, else 1 to [`MAX_USES`].
pub fn use_limit(input: &str) -> Result<Option<i64>, DomainError> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    input
        .parse::<i64>()
        .ok()
        .filter(|uses| (1..=MAX_USES).contains(uses))
        .map(Some)
        .ok_or(DomainError::InvitationUsesInvalid)
}

/// One person to invite by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    pub name: Option<DisplayName>,
    pub email: Email,
}

/// A line of a pasted list that cannot be invited, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedLine {
    /// Counted from 1, as an editor shows it.
    pub line: usize,
    pub text: String,
    pub reason: DomainError,
}

/// Reads a pasted list: one person per line, an address alone or `name <address>`;
/// blank lines are skipped. Every line that cannot be invited is listed with its
/// reason (a bad address or name, or an address already listed), so that nothing is
/// sent until the whole list is right.
pub fn invitee_list(text: &str) -> Result<Vec<Invitee>, InviteeListError> {
    let mut invitees: Vec<Invitee> = Vec::new();
    let mut refused = Vec::new();
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    for (index, line) in lines {
        match invitee(line) {
            Ok(person) if invitees.iter().any(|known| known.email == person.email) => {
                refused.push(refuse(index, line, DomainError::InviteeDuplicate))
            }
            Ok(person) => invitees.push(person),
            Err(reason) => refused.push(refuse(index, line, reason)),
        }
        if invitees.len() + refused.len() > MAX_PER_REQUEST {
            return Err(InviteeListError::TooMany);
        }
    }
    if !refused.is_empty() {
        return Err(InviteeListError::Lines(refused));
    }
    if invitees.is_empty() {
        return Err(InviteeListError::Empty);
    }
    Ok(invitees)
}

/// Why a pasted list is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum InviteeListError {
    Empty,
    TooMany,
    Lines(Vec<RefusedLine>),
}

fn refuse(index: usize, line: &str, reason: DomainError) -> RefusedLine {
    RefusedLine {
        line: index + 1,
        text: line.trim().chars().take(200).collect(),
        reason,
    }
}

fn invitee(line: &str) -> Result<Invitee, DomainError> {
    let line = line.trim();
    match line
        .strip_suffix('>')
        .and_then(|rest| rest.rsplit_once('<'))
    {
        Some((name, address)) => {
            let name = name.trim().trim_matches('"').trim();
            Ok(Invitee {
                name: if name.is_empty() {
                    None
                } else {
                    Some(DisplayName::parse(name)?)
                },
                email: Email::parse(address)?,
            })
        }
        None => Ok(Invitee {
            name: None,
            email: Email::parse(line)?,
        }),
    }
}

/// What following an invitation's link finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationVerdict {
    /// It may be accepted.
    Open,
    Expired,
    Revoked,
    /// A link with a limit on uses that has brought in as many people as it may,
    /// or a mailed invitation already accepted.
    UsedUp,
    /// A mailed invitation followed by someone signed in with another address.
    Foreign,
}

/// What an invitation holds that decides whether it may still be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvitationTerms {
    pub expires_at: i64,
    pub revoked: bool,
    /// For a link with a limit: how many more accounts it may bring in.
    pub uses_left: Option<i64>,
    /// For a mailed invitation: whether it was accepted already.
    pub accepted: bool,
    /// For a mailed invitation followed by a signed-in person: whether their
    /// address is the one it was mailed to.
    pub addressed_elsewhere: bool,
}

impl InvitationTerms {
    /// The verdict at `now` (unix seconds). A revoked invitation says so even once
    /// expired, so that nobody waits for a new one from the same link.
    pub fn verdict(&self, now: i64) -> InvitationVerdict {
        if self.revoked {
            InvitationVerdict::Revoked
        } else if self.accepted || self.uses_left == Some(0) {
            InvitationVerdict::UsedUp
        } else if now >= self.expires_at {
            InvitationVerdict::Expired
        } else if self.addressed_elsewhere {
            InvitationVerdict::Foreign
        } else {
            InvitationVerdict::Open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_list_reads_addresses_and_named_addresses() {
        let list = "amara@example.org\n\n  Lucía Quispe <Lucia@Example.PE>  \n\"Rami K.\" <rami@example.sy>\n<anon@example.am>\n";
        let invitees = invitee_list(list).unwrap();
        let read: Vec<(Option<&str>, &str)> = invitees
            .iter()
            .map(|person| {
                (
                    person.name.as_ref().map(|name| name.as_str()),
                    person.email.as_str(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (None, "amara@example.org"),
                (Some("Lucía Quispe"), "lucia@example.pe"),
                (Some("Rami K."), "rami@example.sy"),
                (None, "anon@example.am"),
            ]
        );
    }

    #[test]
    fn every_bad_line_is_named_with_its_reason_and_nothing_is_kept() {
        let list = "amara@example.org\nnot an address\nAMARA@example.org\nName <broken@>\n<script>@x.org\n";
        let Err(InviteeListError::Lines(refused)) = invitee_list(list) else {
            panic!("the list should be refused line by line");
        };
        let reasons: Vec<(usize, DomainError)> = refused
            .iter()
            .map(|line| (line.line, line.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                (2, DomainError::EmailInvalid),
                (3, DomainError::InviteeDuplicate),
                (4, DomainError::EmailInvalid),
                (5, DomainError::EmailInvalid),
            ]
        );
        assert_eq!(refused[0].text, "not an address");
    }

    #[test]
    fn an_empty_or_overlong_list_is_refused_whole() {
        assert_eq!(invitee_list(" \n\n"), Err(InviteeListError::Empty));
        let long: String = (0..=MAX_PER_REQUEST)
            .map(|n| format!("person{n}@example.org\n"))
            .collect();
        assert_eq!(invitee_list(&long), Err(InviteeListError::TooMany));
        let most: String = (0..MAX_PER_REQUEST)
            .map(|n| format!("person{n}@example.org\n"))
            .collect();
        assert_eq!(
            invitee_list(&most).map(|list| list.len()),
            Ok(MAX_PER_REQUEST)
        );
    }

    #[test]
    fn days_and_uses_stay_in_bounds() {
        assert_eq!(valid_days(" 14 "), Ok(14));
        for bad in ["0", "91", "-3", "", "two", "1e3"] {
            assert_eq!(
                valid_days(bad),
                Err(DomainError::InvitationDaysInvalid),
                "{bad}"
            );
        }
        assert_eq!(use_limit(""), Ok(None));
        assert_eq!(use_limit("30"), Ok(Some(30)));
        for bad in ["0", "1001", "-1", "many"] {
            assert_eq!(
                use_limit(bad),
                Err(DomainError::InvitationUsesInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_verdict_names_the_first_thing_that_stops_an_invitation() {
        let open = InvitationTerms {
            expires_at: 1_000,
            revoked: false,
            uses_left: None,
            accepted: false,
            addressed_elsewhere: false,
        };
        let cases = [
            (open, 999, InvitationVerdict::Open),
            (open, 1_000, InvitationVerdict::Expired),
            (
                InvitationTerms {
                    revoked: true,
                    ..open
                },
                2_000,
                InvitationVerdict::Revoked,
            ),
            (
                InvitationTerms {
                    uses_left: Some(0),
                    ..open
                },
                0,
                InvitationVerdict::UsedUp,
            ),
            (
                InvitationTerms {
                    uses_left: Some(1),
                    ..open
                },
                0,
                InvitationVerdict::Open,
            ),
            (
                InvitationTerms {
                    accepted: true,
                    ..open
                },
                0,
                InvitationVerdict::UsedUp,
            ),
            (
                InvitationTerms {
                    accepted: true,
                    ..open
                },
                5_000,
                InvitationVerdict::UsedUp,
            ),
            (
                InvitationTerms {
                    addressed_elsewhere: true,
                    ..open
                },
                0,
                InvitationVerdict::Foreign,
            ),
            (
                InvitationTerms {
                    addressed_elsewhere: true,
                    ..open
                },
                1_000,
                InvitationVerdict::Expired,
            ),
        ];
        for (terms, now, expected) in cases {
            assert_eq!(terms.verdict(now), expected, "{terms:?} at {now}");
        }
    }
}
