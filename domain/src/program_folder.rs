//! A program as a folder of Markdown files, to prepare content offline, have partners
//! review it, or move it between deployments. The folder holds:
//!
//! - `manifest.txt`: `kring-program 1`, then `language: en` (the source language), and
//!   in order `module: <name>` (with its language after it when it is written in
//!   another, `module: <name> es`) and, below each module, `unit: <module>/<name>`
//!   (with ` draft` after it for a unit readers do not see yet);
//! - `program.<lang>.md` and `<module>/module.<lang>.md`: front matter with the title,
//!   the summary as the text below it;
//! - `<module>/<unit>.<lang>.md`: front matter with the title, the unit's Markdown below.
//!
//! Front matter is a first line `---`, a line `title: …`, and a closing `---`. Names are
//! lowercase letters, digits and `-`. The source language's files must be there; other
//! languages are translations. Everything is checked before anything is stored, and a
//! refusal names the file and the line.

use crate::{DomainError, Language, OutlineSummary, OutlineTitle, UnitBody, UnitTitle};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MANIFEST: &str = "manifest.txt";
const FORMAT: &str = "kring-program 1";
/// At most this many modules, and units per module, in one folder.
pub const MAX_MODULES: usize = 100;

/// A title and a text (a summary, or a unit's Markdown) in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderText {
    pub language: Language,
    pub title: String,
    pub text: String,
    /// A translation made from an older source text. Copies within Kring keep it;
    /// a folder does not carry it (what is imported counts as current).
    #[serde(default)]
    pub outdated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderUnit {
    pub name: String,
    pub published: bool,
    pub texts: Vec<FolderText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderModule {
    pub name: String,
    /// The language the module and its units are written in (usually the program's).
    pub source_language: Language,
    pub texts: Vec<FolderText>,
    pub units: Vec<FolderUnit>,
}

/// A whole program as the folder describes it, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderProgram {
    pub source_language: Language,
    pub texts: Vec<FolderText>,
    pub modules: Vec<FolderModule>,
}

impl FolderProgram {
    /// The text in `language`, if there is one.
    pub fn text(texts: &[FolderText], language: Language) -> Option<&FolderText> {
        texts.iter().find(|text| text.language == language)
    }

    /// The program's title in its source language.
    pub fn title(&self) -> &str {
        Self::text(&self.texts, self.source_language).map_or("", |text| text.title.as_str())
    }
}

/// Why a folder was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderProblem {
    /// The manifest is missing or does not start with `kring-program 1`.
    NotAProgram,
    /// A manifest line that is not `language:`, `module:` or `unit:`.
    UnknownLine,
    /// A language Kring does not have.
    UnknownLanguage,
    /// A name with other characters than lowercase letters, digits and `-`, used
    /// twice, or a unit under a module the manifest has not named before it.
    BadName,
    /// A file the manifest needs is not in the folder.
    MissingFile,
    /// A file without `---`, `title: …`, `---` at its top.
    NoFrontMatter,
    /// More modules, or units in a module, than one program holds.
    TooMany,
    /// A title or text the rules refuse.
    Text(DomainError),
}

/// A refusal: which file, which line (1-based), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderError {
    pub file: String,
    pub line: usize,
    pub problem: FolderProblem,
}

fn refuse(file: &str, line: usize, problem: FolderProblem) -> FolderError {
    FolderError {
        file: file.to_owned(),
        line,
        problem,
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 80
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A name for a title: "Listening first" → `listening-first`, distinct from `taken`.
pub fn name_for(title: &str, position: usize, taken: &[String]) -> String {
    let mut name = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
        if name.len() >= 40 {
            break;
        }
    }
    let name = format!("{position:02}-{}", name.trim_end_matches('-'));
    let name = name.trim_end_matches('-').to_owned();
    let mut unique = name.clone();
    let mut n = 2;
    while taken.contains(&unique) {
        unique = format!("{name}-{n}");
        n += 1;
    }
    unique
}

/// Splits a file into its title and the text below its front matter.
fn front_matter(file: &str, content: &str) -> Result<(String, String), FolderError> {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut lines = content.split_inclusive('\n');
    let mut consumed = 0;
    let mut next = |number: usize| -> Result<&str, FolderError> {
        lines
            .next()
            .map(|line| {
                consumed += line.len();
                line.trim_end_matches(['\n', '\r'])
            })
            .ok_or_else(|| refuse(file, number, FolderProblem::NoFrontMatter))
    };
    if next(1)? != "---" {
        return Err(refuse(file, 1, FolderProblem::NoFrontMatter));
    }
    let title = next(2)?
        .strip_prefix("title:")
        .ok_or_else(|| refuse(file, 2, FolderProblem::NoFrontMatter))?
        .trim()
        .to_owned();
    if next(3)? != "---" {
        return Err(refuse(file, 3, FolderProblem::NoFrontMatter));
    }
    // One blank line separates the front matter from the text.
    let rest = &content[consumed..];
    let body = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest)
        .to_owned();
    Ok((title, body))
}

/// Reads the texts of `stem` (`program`, `listening/module`, `listening/first`) in
/// every language there is a file for, checking each with `check`.
fn texts_of(
    files: &BTreeMap<String, String>,
    stem: &str,
    source: Language,
    manifest_line: usize,
    check: impl Fn(&str, &str) -> Result<(String, String), DomainError>,
) -> Result<Vec<FolderText>, FolderError> {
    let mut texts = Vec::new();
    for language in Language::ALL {
        let path = format!("{stem}.{}.md", language.code());
        let Some(content) = files.get(&path) else {
            if language == source {
                return Err(refuse(MANIFEST, manifest_line, FolderProblem::MissingFile));
            }
            continue;
        };
        let (title, text) = front_matter(&path, content)?;
        let (title, text) =
            check(&title, &text).map_err(|error| refuse(&path, 2, FolderProblem::Text(error)))?;
        texts.push(FolderText {
            language,
            title,
            text,
            outdated: false,
        });
    }
    Ok(texts)
}

fn outline_text(title: &str, summary: &str) -> Result<(String, String), DomainError> {
    Ok((
        OutlineTitle::parse(title)?.as_str().to_owned(),
        OutlineSummary::parse(summary)?.as_str().to_owned(),
    ))
}

fn unit_text(title: &str, body: &str) -> Result<(String, String), DomainError> {
    Ok((
        UnitTitle::parse(title)?.as_str().to_owned(),
        UnitBody::parse(body)?.as_str().to_owned(),
    ))
}

/// A manifest's `unit:` line: its number, the unit's name, and whether readers see it.
type UnitLine = (usize, String, bool);

/// Checks a folder (file path → text) and reads the program it describes.
pub fn read_folder(files: &BTreeMap<String, String>) -> Result<FolderProgram, FolderError> {
    let manifest = files
        .get(MANIFEST)
        .ok_or_else(|| refuse(MANIFEST, 1, FolderProblem::NotAProgram))?;
    let mut lines = manifest
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim()));
    match lines.next() {
        Some((_, FORMAT)) => {}
        _ => return Err(refuse(MANIFEST, 1, FolderProblem::NotAProgram)),
    }
    let mut source = None;
    let mut outline: Vec<(usize, String, Option<Language>, Vec<UnitLine>)> = Vec::new();
    for (number, line) in lines {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .map(|(key, value)| (key.trim(), value.trim()))
            .ok_or_else(|| refuse(MANIFEST, number, FolderProblem::UnknownLine))?;
        match key {
            "language" if source.is_none() => {
                source = Some(
                    Language::parse(value)
                        .map_err(|_| refuse(MANIFEST, number, FolderProblem::UnknownLanguage))?,
                );
            }
            "module" => {
                let mut words = value.split_whitespace();
                let name = words.next().unwrap_or_default();
                let language = words
                    .next()
                    .map(|code| {
                        Language::parse(code)
                            .map_err(|_| refuse(MANIFEST, number, FolderProblem::UnknownLanguage))
                    })
                    .transpose()?;
                if words.next().is_some() {
                    return Err(refuse(MANIFEST, number, FolderProblem::UnknownLine));
                }
                if !valid_name(name) || outline.iter().any(|(_, known, ..)| known == name) {
                    return Err(refuse(MANIFEST, number, FolderProblem::BadName));
                }
                if outline.len() == MAX_MODULES {
                    return Err(refuse(MANIFEST, number, FolderProblem::TooMany));
                }
                outline.push((number, name.to_owned(), language, Vec::new()));
            }
            "unit" => {
                let (path, published) = match value.strip_suffix(" draft") {
                    Some(path) => (path.trim(), false),
                    None => (value, true),
                };
                let (module, unit) = path
                    .split_once('/')
                    .ok_or_else(|| refuse(MANIFEST, number, FolderProblem::BadName))?;
                let Some((_, _, _, units)) =
                    outline.last_mut().filter(|(_, name, ..)| name == module)
                else {
                    return Err(refuse(MANIFEST, number, FolderProblem::BadName));
                };
                if !valid_name(unit)
                    || unit == "module"
                    || units.iter().any(|(_, name, _)| name == unit)
                {
                    return Err(refuse(MANIFEST, number, FolderProblem::BadName));
                }
                if units.len() == crate::MAX_UNITS_PER_MODULE {
                    return Err(refuse(MANIFEST, number, FolderProblem::TooMany));
                }
                units.push((number, unit.to_owned(), published));
            }
            _ => return Err(refuse(MANIFEST, number, FolderProblem::UnknownLine)),
        }
    }
    let source = source.ok_or_else(|| {
        refuse(
            MANIFEST,
            manifest.lines().count().max(1),
            FolderProblem::UnknownLanguage,
        )
    })?;
    let texts = texts_of(files, "program", source, 1, outline_text)?;
    let mut modules = Vec::with_capacity(outline.len());
    for (line, name, language, units) in outline {
        let module_source = language.unwrap_or(source);
        let module_texts = texts_of(
            files,
            &format!("{name}/module"),
            module_source,
            line,
            outline_text,
        )?;
        let mut read_units = Vec::with_capacity(units.len());
        for (line, unit, published) in units {
            read_units.push(FolderUnit {
                texts: texts_of(
                    files,
                    &format!("{name}/{unit}"),
                    module_source,
                    line,
                    unit_text,
                )?,
                name: unit,
                published,
            });
        }
        modules.push(FolderModule {
            name,
            source_language: module_source,
            texts: module_texts,
            units: read_units,
        });
    }
    Ok(FolderProgram {
        source_language: source,
        texts,
        modules,
    })
}

/// Writes a program as its folder: file path → text. Reading it back gives the same program.
pub fn write_folder(program: &FolderProgram) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let file = |title: &str, text: &str| format!("---\ntitle: {title}\n---\n\n{text}");
    let mut manifest = format!("{FORMAT}\nlanguage: {}\n", program.source_language.code());
    for text in &program.texts {
        files.insert(
            format!("program.{}.md", text.language.code()),
            file(&text.title, &text.text),
        );
    }
    for module in &program.modules {
        if module.source_language == program.source_language {
            manifest.push_str(&format!("module: {}\n", module.name));
        } else {
            manifest.push_str(&format!(
                "module: {} {}\n",
                module.name,
                module.source_language.code()
            ));
        }
        for text in &module.texts {
            files.insert(
                format!("{}/module.{}.md", module.name, text.language.code()),
                file(&text.title, &text.text),
            );
        }
        for unit in &module.units {
            let draft = if unit.published { "" } else { " draft" };
            manifest.push_str(&format!("unit: {}/{}{draft}\n", module.name, unit.name));
            for text in &unit.texts {
                files.insert(
                    format!("{}/{}.{}.md", module.name, unit.name, text.language.code()),
                    file(&text.title, &text.text),
                );
            }
        }
    }
    files.insert(MANIFEST.to_owned(), manifest);
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(language: Language, title: &str, text: &str) -> FolderText {
        FolderText {
            language,
            title: title.to_owned(),
            text: text.to_owned(),
            outdated: false,
        }
    }

    fn program() -> FolderProgram {
        FolderProgram {
            source_language: Language::En,
            texts: vec![
                text(
                    Language::En,
                    "Mutual Learning Program 2027",
                    "Twelve sessions.",
                ),
                text(
                    Language::Es,
                    "Programa de aprendizaje mutuo 2027",
                    "Doce sesiones.",
                ),
            ],
            modules: vec![
                FolderModule {
                    name: "01-listening".to_owned(),
                    source_language: Language::En,
                    texts: vec![
                        text(Language::En, "Listening: first steps", ""),
                        text(Language::Nl, "Luisteren", "Hoe we luisteren."),
                    ],
                    units: vec![
                        FolderUnit {
                            name: "01-listening-first".to_owned(),
                            published: true,
                            texts: vec![text(
                                Language::En,
                                "Listening first",
                                "# Hello\n\n---\n\nA *rule* above.",
                            )],
                        },
                        FolderUnit {
                            name: "02-later".to_owned(),
                            published: false,
                            texts: vec![text(Language::En, "Later", "")],
                        },
                    ],
                },
                FolderModule {
                    name: "02-cases".to_owned(),
                    source_language: Language::Es,
                    texts: vec![text(Language::Es, "Casos", "")],
                    units: vec![],
                },
            ],
        }
    }

    #[test]
    fn a_folder_written_reads_back_as_the_same_program() {
        let files = write_folder(&program());
        assert!(files["manifest.txt"].contains("unit: 01-listening/02-later draft\n"));
        assert!(files["manifest.txt"].ends_with("module: 02-cases es\n"));
        assert!(files.contains_key("01-listening/module.nl.md"));
        assert_eq!(read_folder(&files), Ok(program()));
    }

    fn refused(edit: impl FnOnce(&mut BTreeMap<String, String>)) -> FolderError {
        let mut files = write_folder(&program());
        edit(&mut files);
        read_folder(&files).unwrap_err()
    }

    fn manifest_error(line: usize, problem: FolderProblem) -> FolderError {
        refuse(MANIFEST, line, problem)
    }

    #[test]
    fn a_malformed_folder_is_refused_with_the_file_and_line() {
        let replace = |from: &'static str, to: &'static str| {
            move |files: &mut BTreeMap<String, String>| {
                let manifest = files.get_mut(MANIFEST).unwrap();
                *manifest = manifest.replace(from, to);
            }
        };
        assert_eq!(
            refused(|files| {
                files.remove(MANIFEST);
            }),
            manifest_error(1, FolderProblem::NotAProgram)
        );
        assert_eq!(
            refused(replace("kring-program 1", "kring-program 2")),
            manifest_error(1, FolderProblem::NotAProgram)
        );
        assert_eq!(
            refused(replace("language: en", "language: fr")),
            manifest_error(2, FolderProblem::UnknownLanguage)
        );
        assert_eq!(
            refused(replace("module: 02-cases es", "module: 02-cases fr")),
            manifest_error(6, FolderProblem::UnknownLanguage)
        );
        assert_eq!(
            refused(|files| {
                files.remove("02-cases/module.es.md");
            }),
            manifest_error(6, FolderProblem::MissingFile),
            "a module's own language is its source"
        );
        assert_eq!(
            refused(replace("module: 02-cases", "chapter: 02-cases")),
            manifest_error(6, FolderProblem::UnknownLine)
        );
        assert_eq!(
            refused(replace("module: 02-cases", "module: 01-listening")),
            manifest_error(6, FolderProblem::BadName)
        );
        assert_eq!(
            refused(replace("module: 02-cases", "module: ../etc")),
            manifest_error(6, FolderProblem::BadName)
        );
        assert_eq!(
            refused(replace("unit: 01-listening/01", "unit: 02-cases/01")),
            manifest_error(4, FolderProblem::BadName),
            "a unit under a module named later"
        );
        assert_eq!(
            refused(|files| {
                files.remove("01-listening/02-later.en.md");
            }),
            manifest_error(5, FolderProblem::MissingFile)
        );
        assert_eq!(
            refused(|files| {
                files.insert(
                    "01-listening/module.nl.md".to_owned(),
                    "title: Luisteren\n".to_owned(),
                );
            }),
            refuse("01-listening/module.nl.md", 1, FolderProblem::NoFrontMatter)
        );
        assert_eq!(
            refused(|files| {
                files.insert(
                    "02-cases/module.en.md".to_owned(),
                    format!("---\ntitle: {}\n---\n", "x".repeat(201)),
                );
            }),
            refuse(
                "02-cases/module.en.md",
                2,
                FolderProblem::Text(DomainError::OutlineTitleTooLong)
            )
        );
    }

    #[test]
    fn names_come_from_titles_and_stay_distinct() {
        assert_eq!(name_for("Listening first!", 1, &[]), "01-listening-first");
        assert_eq!(name_for("¿Qué?", 3, &[]), "03-qu");
        let taken = vec!["02-cases".to_owned()];
        assert_eq!(name_for("Cases", 2, &taken), "02-cases-2");
        assert!(valid_name(&name_for("Écoute / «ça»", 12, &[])));
    }
}
