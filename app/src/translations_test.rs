//! Every interface string exists in every language, and no language has strings the others lack.

use std::collections::BTreeSet;

fn keys(file: &str) -> BTreeSet<String> {
    let path = format!("{}/locales/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
    for (key, value) in &map {
        let text = value
            .as_str()
            .unwrap_or_else(|| panic!("{file}: {key} is not a string"));
        assert!(!text.trim().is_empty(), "{file}: {key} is empty");
    }
    map.keys().cloned().collect()
}

#[test]
fn all_languages_have_the_same_keys() {
    let english = keys("en.json");
    assert!(english.len() > 50);
    for file in ["es.json", "de.json", "nl.json"] {
        let other = keys(file);
        let missing: Vec<_> = english.difference(&other).collect();
        let extra: Vec<_> = other.difference(&english).collect();
        assert!(missing.is_empty(), "{file} lacks {missing:?}");
        assert!(extra.is_empty(), "{file} has keys English lacks: {extra:?}");
    }
}

#[test]
fn placeholders_match_across_languages() {
    let placeholders = |file: &str| -> BTreeSet<(String, String)> {
        let path = format!("{}/locales/{file}", env!("CARGO_MANIFEST_DIR"));
        let map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        map.iter()
            .flat_map(|(key, value)| {
                value
                    .as_str()
                    .unwrap()
                    .split('%')
                    .skip(1)
                    .step_by(2)
                    .map(move |name| (key.clone(), name.to_owned()))
            })
            .collect()
    };
    let english = placeholders("en.json");
    for file in ["es.json", "de.json", "nl.json"] {
        assert_eq!(placeholders(file), english, "{file}");
    }
}
