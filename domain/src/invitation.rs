//! Invitations into a cohort: the list of people a facilitator pastes, the
//! bounds on what one invitation may promise, and what a link says when
//! someone follows it.

use crate::{Country, DisplayName, DomainError, Email, Language, OrganisationName};
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

/// The largest CSV file of people to invite, in bytes.
pub const MAX_IMPORT_BYTES: usize = 256 * 1024;

/// A row of an imported CSV file: name, e-mail, organisation, country, language group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedInvitee {
    /// Counted from 1, as a spreadsheet shows it.
    pub line: usize,
    pub invitee: Invitee,
    pub organisation: Option<OrganisationName>,
    pub country: Country,
    /// Which of the cohort's groups (an index into the `groups` given).
    pub group: usize,
}

/// Reads the records of a CSV file of people to invite (each with its line number) into
/// the rows that can be invited and those that cannot, with the reason: a bad address,
/// name, organisation or country, an unknown language group (named as the cohort names
/// it, or by its language's code), an address listed twice. A first row naming the
/// columns is skipped. `groups` are the cohort's language groups; with one, the column
/// may stay empty.
pub fn imported_invitees(
    records: &[(usize, Vec<String>)],
    groups: &[(String, Language)],
) -> Result<(Vec<ImportedInvitee>, Vec<RefusedLine>), InviteeListError> {
    let is_header = |fields: &[String]| fields.get(1).is_some_and(|field| !field.contains('@'));
    let records = match records.first() {
        Some((_, fields)) if is_header(fields) => &records[1..],
        _ => records,
    };
    let records: Vec<_> = records
        .iter()
        .filter(|(_, fields)| fields.iter().any(|field| !field.trim().is_empty()))
        .collect();
    if records.is_empty() {
        return Err(InviteeListError::Empty);
    }
    if records.len() > MAX_PER_REQUEST {
        return Err(InviteeListError::TooMany);
    }
    let mut rows: Vec<ImportedInvitee> = Vec::new();
    let mut refused = Vec::new();
    for (line, fields) in records {
        match imported_row(*line, fields, groups) {
            Ok(row)
                if rows
                    .iter()
                    .any(|known| known.invitee.email == row.invitee.email) =>
            {
                refused.push(refuse(
                    line - 1,
                    &fields.join(","),
                    DomainError::InviteeDuplicate,
                ))
            }
            Ok(row) => rows.push(row),
            Err(reason) => refused.push(refuse(line - 1, &fields.join(","), reason)),
        }
    }
    Ok((rows, refused))
}

fn imported_row(
    line: usize,
    fields: &[String],
    groups: &[(String, Language)],
) -> Result<ImportedInvitee, DomainError> {
    let field = |index: usize| fields.get(index).map_or("", |field| field.trim());
    let name = DisplayName::parse(field(0))?;
    let email = Email::parse(field(1))?;
    let organisation = match field(2) {
        "" => None,
        text => Some(OrganisationName::parse(text)?),
    };
    let country = Country::parse_code_or_name(field(3))?;
    let wanted = field(4).to_lowercase();
    let group = if wanted.is_empty() && groups.len() == 1 {
        Some(0)
    } else {
        groups
            .iter()
            .position(|(name, language)| name.to_lowercase() == wanted || language.code() == wanted)
    }
    .ok_or(DomainError::GroupUnknown)?;
    Ok(ImportedInvitee {
        line,
        invitee: Invitee {
            name: Some(name),
            email,
        },
        organisation,
        country,
        group,
    })
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

    fn records(csv: &[&str]) -> Vec<(usize, Vec<String>)> {
        csv.iter()
            .enumerate()
            .map(|(index, line)| (index + 1, line.split(',').map(str::to_owned).collect()))
            .collect()
    }

    #[test]
    fn an_imported_file_lists_every_bad_row_with_its_reason() {
        let groups = [
            ("English group".to_owned(), Language::En),
            ("Spanish group".to_owned(), Language::Es),
        ];
        let file = records(&[
            "Name,E-mail,Organisation,Country,Language group",
            "Lucía Quispe,lucia@example.pe,Red Familias Unidas,Peru,Spanish group",
            "Rami Haddad,rami@example.sy,,SY,en",
            "Nobody,not-an-address,,PE,es",
            "Ana,ana@example.pe,,Atlantis,es",
            "Ana B,ana2@example.pe,,PE,French group",
            ",,,,",
            "Lucía Q,LUCIA@example.pe,,PE,es",
            ",empty@example.pe,,PE,es",
        ]);
        let (rows, refused) = imported_invitees(&file, &groups).unwrap();
        let read: Vec<(usize, &str, &str, usize)> = rows
            .iter()
            .map(|row| {
                (
                    row.line,
                    row.invitee.email.as_str(),
                    row.country.code(),
                    row.group,
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (2, "lucia@example.pe", "PE", 1),
                (3, "rami@example.sy", "SY", 0)
            ]
        );
        assert_eq!(
            rows[0].organisation.as_ref().map(|o| o.as_str()),
            Some("Red Familias Unidas")
        );
        let reasons: Vec<(usize, DomainError)> = refused
            .iter()
            .map(|line| (line.line, line.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                (4, DomainError::EmailInvalid),
                (5, DomainError::CountryUnknown),
                (6, DomainError::GroupUnknown),
                (8, DomainError::InviteeDuplicate),
                (9, DomainError::DisplayNameEmpty),
            ]
        );
    }

    #[test]
    fn a_file_without_people_or_with_too_many_is_refused_whole() {
        let groups = [("English group".to_owned(), Language::En)];
        assert_eq!(
            imported_invitees(
                &records(&["Name,E-mail,Organisation,Country,Group"]),
                &groups
            ),
            Err(InviteeListError::Empty)
        );
        let many: Vec<String> = (0..=MAX_PER_REQUEST)
            .map(|n| format!("P {n},p{n}@example.org,,KE,"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(
            imported_invitees(&records(&many), &groups),
            Err(InviteeListError::TooMany)
        );
        // With one group, the column may stay empty; without a header, the first row counts.
        let (rows, refused) =
            imported_invitees(&records(&["Wanjiru,w@example.ke,,Kenya,"]), &groups).unwrap();
        assert_eq!((rows.len(), refused.len()), (1, 0));
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
