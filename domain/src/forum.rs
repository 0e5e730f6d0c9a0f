//! The forum's rules: what a post and a thread title may hold, case threads'
//! template, tagged replies, @mentions, and how fast one person may post.

use crate::account::bounded_text;
use crate::DomainError;
use serde::{Deserialize, Serialize};

/// A thread's title: 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadTitle(String);

impl ThreadTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::ThreadTitleEmpty,
            DomainError::ThreadTitleTooLong,
        )
        .map(ThreadTitle)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A post's Markdown: 1 to 50,000 characters, line endings normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostBody(String);

impl PostBody {
    pub const MAX_CHARS: usize = 50_000;
    /// People one post may notify: more is a message to the whole group,
    /// which a new thread reaches better.
    pub const MAX_MENTIONS: usize = 20;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let body = input.replace("\r\n", "\n").replace('\r', "\n");
        let body = body.trim();
        if body.is_empty() {
            return Err(DomainError::PostEmpty);
        }
        if body.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::PostTooLong);
        }
        let body = PostBody(body.to_owned());
        if body.mentions().len() > Self::MAX_MENTIONS {
            return Err(DomainError::TooManyMentions);
        }
        Ok(body)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The members named with `@handle` (letters, digits, `.`, `_`, `-`), once
    /// each, in order; an e-mail address is not a mention. It stops reading
    /// one past [`Self::MAX_MENTIONS`], which is enough to refuse the post.
    pub fn mentions(&self) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let text = &self.0;
        for (index, _) in text.match_indices('@') {
            let before = text[..index].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
                continue;
            }
            let handle: String = text[index + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
                .collect();
            let handle = handle.trim_end_matches(['.', '-']).to_lowercase();
            if !handle.is_empty() && !found.contains(&handle) {
                found.push(handle);
                if found.len() > Self::MAX_MENTIONS {
                    break;
                }
            }
        }
        found
    }
}

/// What someone typed after `@`, to find members by their handle or by any
/// word of their name, whatever the case or accents ("luc" finds Lucía).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionPrefix(String);

impl MentionPrefix {
    /// Handles are at most 30 letters and a dot: longer typing finds nobody new.
    const MAX_CHARS: usize = 64;

    pub fn new(typed: &str) -> Self {
        let typed: String = typed
            .trim()
            .trim_start_matches('@')
            .chars()
            .take(Self::MAX_CHARS)
            .collect();
        if typed.contains('@') {
            // Part of an address: nobody is found by one.
            return MentionPrefix(String::new());
        }
        MentionPrefix(crate::account::fold(&typed, &['.', '_', '-']))
    }

    /// Whether the member with `handle` and `name` is one that was meant.
    pub fn matches(&self, handle: &str, name: &str) -> bool {
        !self.0.is_empty()
            && (handle.starts_with(&self.0)
                || name
                    .split_whitespace()
                    .any(|word| crate::account::fold(word, &[]).starts_with(&self.0)))
    }
}

/// A passage of `author`'s post as Markdown to reply under: their name, then the
/// passage as a block quote, then an empty line.
pub fn quote_markdown(author: &str, passage: &str) -> String {
    let mut text = format!("> **{author}**:\n");
    for line in passage.trim().lines() {
        text.push_str("> ");
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push('\n');
    text
}

/// Why a facilitator hid a post, shown to its author: 1 to 500 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HideReason(String);

impl HideReason {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        bounded_text(
            input,
            Self::MAX_CHARS,
            DomainError::HideReasonEmpty,
            DomainError::HideReasonTooLong,
        )
        .map(HideReason)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The `@handle` being typed just before the caret (a UTF-16 offset, as browsers
/// report it): the byte index of its `@` and the handle so far.
pub fn mention_being_typed(text: &str, caret_utf16: u32) -> Option<(usize, String)> {
    let mut units = 0_u32;
    let caret = text
        .char_indices()
        .find(|(_, c)| {
            let reached = units >= caret_utf16;
            units += c.len_utf16() as u32;
            reached
        })
        .map_or(text.len(), |(index, _)| index);
    // `get` rather than indexing: no panic path to carry into the WebAssembly.
    let before = text.get(..caret)?;
    let start = before.rfind('@')?;
    let handle = before.get(start + 1..)?;
    let after_a_word = before
        .get(..start)?
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let handle_chars = handle
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if after_a_word || handle.is_empty() || !handle_chars {
        return None;
    }
    Some((start, handle.to_owned()))
}

/// How a reply in a case thread helps the case owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyTag {
    Question,
    Perspective,
    Suggestion,
}

impl ReplyTag {
    /// The order a case owner reads them in: questions first, then perspectives, then suggestions.
    pub const ALL: [ReplyTag; 3] = [
        ReplyTag::Question,
        ReplyTag::Perspective,
        ReplyTag::Suggestion,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReplyTag::Question => "question",
            ReplyTag::Perspective => "perspective",
            ReplyTag::Suggestion => "suggestion",
        }
    }

    /// `""` is an untagged reply.
    pub fn parse_optional(code: &str) -> Result<Option<ReplyTag>, DomainError> {
        match code.trim() {
            "" => Ok(None),
            code => ReplyTag::ALL
                .into_iter()
                .find(|tag| tag.code() == code)
                .map(Some)
                .ok_or(DomainError::ReplyTagUnknown),
        }
    }
}

/// A case brought to the group. The owner confirms it identifies no child or family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTemplate {
    pub context: PostBody,
    pub question: PostBody,
    pub tried: PostBody,
}

impl CaseTemplate {
    pub fn parse(
        context: &str,
        question: &str,
        tried: &str,
        confirmed_anonymous: bool,
    ) -> Result<Self, DomainError> {
        if !confirmed_anonymous {
            return Err(DomainError::CaseNotConfirmedAnonymous);
        }
        let case = CaseTemplate {
            context: PostBody::parse(context)?,
            question: PostBody::parse(question)?,
            tried: PostBody::parse(tried)?,
        };
        // The three parts become one post, which must keep the post limit too.
        PostBody::parse(&case.markdown(["", "", ""]))?;
        Ok(case)
    }

    /// The case as one Markdown post, under the section headings given (in the author's language).
    pub fn markdown(&self, headings: [&str; 3]) -> String {
        format!(
            "## {}\n\n{}\n\n## {}\n\n{}\n\n## {}\n\n{}",
            headings[0],
            self.context.as_str(),
            headings[1],
            self.question.as_str(),
            headings[2],
            self.tried.as_str()
        )
    }
}

/// At most this many posts from one person in a minute: enough for a lively
/// conversation, too few for a runaway script.
pub const POSTS_PER_MINUTE: i64 = 6;

/// When a person who posted `recent` times in the last minute (the oldest at
/// `oldest`) may post again: `None` now, else after this many seconds.
pub fn posting_wait(recent: i64, oldest: Option<i64>, now: i64) -> Option<i64> {
    if recent < POSTS_PER_MINUTE {
        return None;
    }
    let frees_at = oldest.unwrap_or(now) + 60;
    Some((frees_at - now).max(1))
}

/// Where a consultation circle stands: members join while it is open; closed,
/// it can be read but not written to; archived, it leaves the forum's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CircleStatus {
    Open,
    Closed,
    Archived,
}

impl CircleStatus {
    pub fn code(self) -> &'static str {
        match self {
            CircleStatus::Open => "open",
            CircleStatus::Closed => "closed",
            CircleStatus::Archived => "archived",
        }
    }

    pub fn parse(code: &str) -> Result<Self, DomainError> {
        [
            CircleStatus::Open,
            CircleStatus::Closed,
            CircleStatus::Archived,
        ]
        .into_iter()
        .find(|status| status.code() == code)
        .ok_or(DomainError::CircleStatusUnknown)
    }
}

/// What one person may do in one forum category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ForumAccess {
    pub read: bool,
    pub post: bool,
    /// Pin, lock, hide, move; open and close circles.
    pub moderate: bool,
}

impl ForumAccess {
    /// Those who run the cohort (`staff`, see [`crate::Role::runs_cohort`]: its
    /// assigned facilitators and admins) read and moderate every category of its
    /// forum; members read their cohort's. A circle's category is for its members
    /// alone, and takes no new posts once it is closed or archived.
    pub fn decide(staff: bool, cohort_member: bool, circle: Option<(bool, CircleStatus)>) -> Self {
        let read = match circle {
            Some((circle_member, _)) => staff || (cohort_member && circle_member),
            None => staff || cohort_member,
        };
        let writable = circle.is_none_or(|(_, status)| status == CircleStatus::Open);
        ForumAccess {
            read,
            post: read && writable,
            moderate: staff,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_follows_role_cohort_and_circle() {
        use CircleStatus::*;
        let none = ForumAccess::default();
        let member = ForumAccess {
            read: true,
            post: true,
            moderate: false,
        };
        let reader = ForumAccess {
            read: true,
            post: false,
            moderate: false,
        };
        let staff = ForumAccess {
            read: true,
            post: true,
            moderate: true,
        };
        let staff_reading = ForumAccess {
            read: true,
            post: false,
            moderate: true,
        };
        let cases = [
            // (staff, cohort member, circle), expected
            ((false, false, None), none),
            ((false, true, None), member),
            ((true, false, None), staff),
            ((true, true, None), staff),
            ((false, true, Some((false, Open))), none),
            ((false, false, Some((true, Open))), none),
            ((false, true, Some((true, Open))), member),
            ((false, true, Some((true, Closed))), reader),
            ((false, true, Some((true, Archived))), reader),
            ((false, true, Some((false, Closed))), none),
            ((true, false, Some((false, Open))), staff),
            ((true, false, Some((false, Closed))), staff_reading),
            ((true, false, Some((false, Archived))), staff_reading),
        ];
        for ((is_staff, cohort_member, circle), expected) in cases {
            assert_eq!(
                ForumAccess::decide(is_staff, cohort_member, circle),
                expected,
                "staff {is_staff}, member {cohort_member}, circle {circle:?}"
            );
        }
    }

    #[test]
    fn a_facilitator_of_another_cohort_reads_its_forum_as_a_stranger() {
        use crate::Role;
        let circle = Some((false, CircleStatus::Open));
        // (role, assigned to this cohort, member of it, circle), may read, may moderate
        let cases = [
            ((Role::Facilitator, true, false, circle), true, true),
            ((Role::Facilitator, false, false, circle), false, false),
            ((Role::Facilitator, false, false, None), false, false),
            ((Role::Facilitator, false, true, None), true, false),
            ((Role::Facilitator, false, true, circle), false, false),
            ((Role::Admin, false, false, circle), true, true),
            ((Role::Participant, true, true, circle), false, false),
            ((Role::Participant, true, true, None), true, false),
        ];
        for ((role, assigned, member, circle), read, moderate) in cases {
            let access = ForumAccess::decide(role.runs_cohort(assigned), member, circle);
            assert_eq!(
                (access.read, access.moderate),
                (read, moderate),
                "{role:?} assigned {assigned} member {member} circle {circle:?}"
            );
        }
    }

    #[test]
    fn the_mention_being_typed_is_found_before_the_caret() {
        type Case = (&'static str, u32, Option<(usize, &'static str)>);
        let cases: [Case; 9] = [
            ("Thanks @am", 10, Some((7, "am"))),
            ("@lu", 3, Some((0, "lu"))),
            ("Thanks @am and more", 10, Some((7, "am"))),
            ("Thanks @am and more", 19, None),
            ("write to amara@demo", 19, None),
            ("just @", 6, None),
            ("no mention here", 15, None),
            // "é" and "😀" count as 1 and 2 UTF-16 units before the caret.
            ("Café @jo", 8, Some((6, "jo"))),
            ("😀 @sa", 6, Some((5, "sa"))),
        ];
        for (text, caret, expected) in cases {
            assert_eq!(
                mention_being_typed(text, caret),
                expected.map(|(start, handle)| (start, handle.to_owned())),
                "{text:?} at {caret}"
            );
        }
    }

    #[test]
    fn a_quoted_passage_names_its_author_and_quotes_every_line() {
        assert_eq!(
            quote_markdown("Lucía Quispe", "  First line\nsecond line  \n"),
            "> **Lucía Quispe**:\n> First line\n> second line\n\n"
        );
        assert_eq!(quote_markdown("Rami", "one"), "> **Rami**:\n> one\n\n");
    }

    #[test]
    fn circle_statuses_round_trip() {
        for status in [
            CircleStatus::Open,
            CircleStatus::Closed,
            CircleStatus::Archived,
        ] {
            assert_eq!(CircleStatus::parse(status.code()), Ok(status));
        }
        assert_eq!(
            CircleStatus::parse("gone"),
            Err(DomainError::CircleStatusUnknown)
        );
    }

    #[test]
    fn titles_and_posts_keep_their_limits() {
        assert_eq!(
            ThreadTitle::parse("  Reading a case together ")
                .unwrap()
                .as_str(),
            "Reading a case together"
        );
        assert_eq!(ThreadTitle::parse(" "), Err(DomainError::ThreadTitleEmpty));
        assert!(ThreadTitle::parse(&"ş".repeat(200)).is_ok());
        assert_eq!(
            ThreadTitle::parse(&"ş".repeat(201)),
            Err(DomainError::ThreadTitleTooLong)
        );
        assert_eq!(PostBody::parse(" \n "), Err(DomainError::PostEmpty));
        assert!(PostBody::parse(&"ա".repeat(50_000)).is_ok());
        assert_eq!(
            PostBody::parse(&"ա".repeat(50_001)),
            Err(DomainError::PostTooLong)
        );
        assert_eq!(PostBody::parse("a\r\nb\r").unwrap().as_str(), "a\nb");
    }

    #[test]
    fn mentions_are_found_once_and_not_in_addresses() {
        let cases: [(&str, &[&str]); 7] = [
            ("Thanks @lucia!", &["lucia"]),
            ("@Anush and @priya.k, see @anush.", &["anush", "priya.k"]),
            ("Write to amara@demo.kring", &[]),
            ("@", &[]),
            ("(@wanjiru) agreed", &["wanjiru"]),
            ("@ramí_s-", &["ramí_s"]),
            ("email@x and @jana", &["jana"]),
        ];
        for (body, expected) in cases {
            assert_eq!(
                PostBody::parse(body).unwrap().mentions(),
                expected,
                "{body}"
            );
        }
    }

    #[test]
    fn a_post_mentions_at_most_twenty_people() {
        let twenty: String = (0..20).map(|n| format!("@member{n} ")).collect();
        assert_eq!(PostBody::parse(&twenty).unwrap().mentions().len(), 20);
        let again = format!("{twenty} @member3 @member19");
        assert!(PostBody::parse(&again).is_ok(), "repeats count once");
        let thousands: String = (0..7000).map(|n| format!("@m{n} ")).collect();
        assert_eq!(
            PostBody::parse(&thousands),
            Err(DomainError::TooManyMentions)
        );
    }

    #[test]
    fn mentions_are_suggested_by_handle_or_name_never_by_address() {
        let lucia = ("lucia", "Lucía Quispe");
        let cases = [
            ("luc", true),
            ("@Luc", true),
            ("quis", true),
            ("QUÍSPE", true),
            ("lucia.", false),
            ("lucia@", false),
            ("", false),
            ("@", false),
            ("x", false),
        ];
        for (typed, expected) in cases {
            assert_eq!(
                MentionPrefix::new(typed).matches(lucia.0, lucia.1),
                expected,
                "{typed:?}"
            );
        }
        assert!(MentionPrefix::new("lucia.q").matches("lucia.quispe", "Lucía Quispe"));
        // The address never takes part: "admin@demo.k" finds nobody called so.
        assert!(!MentionPrefix::new("admin@demo.k").matches("admin", "Ada Admin"));
    }

    #[test]
    fn reply_tags() {
        assert_eq!(ReplyTag::parse_optional(""), Ok(None));
        assert_eq!(
            ReplyTag::parse_optional("question"),
            Ok(Some(ReplyTag::Question))
        );
        assert_eq!(
            ReplyTag::parse_optional("suggestion"),
            Ok(Some(ReplyTag::Suggestion))
        );
        assert_eq!(
            ReplyTag::parse_optional("advice"),
            Err(DomainError::ReplyTagUnknown)
        );
    }

    #[test]
    fn a_case_needs_every_part_and_the_confirmation() {
        let case = CaseTemplate::parse(
            "A mother of three.",
            "How to involve the aunt?",
            "Two visits.",
            true,
        )
        .unwrap();
        assert_eq!(
            case.markdown(["Context", "Question", "Tried"]),
            "## Context\n\nA mother of three.\n\n## Question\n\nHow to involve the aunt?\n\n## Tried\n\nTwo visits."
        );
        assert_eq!(
            CaseTemplate::parse("a", "b", "c", false),
            Err(DomainError::CaseNotConfirmedAnonymous)
        );
        assert_eq!(
            CaseTemplate::parse("a", " ", "c", true),
            Err(DomainError::PostEmpty)
        );
        let long = "x".repeat(20_000);
        assert_eq!(
            CaseTemplate::parse(&long, &long, &long, true),
            Err(DomainError::PostTooLong)
        );
    }

    #[test]
    fn posting_is_limited_per_minute() {
        assert_eq!(posting_wait(0, None, 1_000), None);
        assert_eq!(posting_wait(5, Some(990), 1_000), None);
        assert_eq!(posting_wait(6, Some(990), 1_000), Some(50));
        assert_eq!(posting_wait(9, Some(940), 1_000), Some(1));
    }
}
