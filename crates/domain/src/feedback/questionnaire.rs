//! Questionnaires: sections of questions, each of a kind (a scale of 1 to 5 with labelled
//! ends, one choice, several choices, yes or no, free text), required or not, worded in the
//! four languages (English required; a language left empty falls back to English).

use crate::codes::codes;
use crate::language::Lang;
use serde::{Deserialize, Serialize};

codes!(
    /// How a question is answered.
    QuestionKind, "kind", "qkind" {
        /// 1 to 5, its ends labelled.
        Scale => "scale",
        /// One of the choices.
        Single => "single",
        /// Any of the choices.
        Multiple => "multiple",
        YesNo => "yes_no",
        /// Free text, reviewed before anyone but the coordinator sees it.
        Text => "text",
    }
);

/// The points of a scale.
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;

/// Most questions a questionnaire holds, choices a question offers, characters in a text.
pub const MAX_QUESTIONS: usize = 60;
pub const MAX_CHOICES: usize = 12;
const MAX_WORDING: usize = 500;

/// A text in the four languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub en: String,
    #[serde(default)]
    pub nl: String,
    #[serde(default)]
    pub nb: String,
    #[serde(default)]
    pub sl: String,
}

impl Localized {
    pub fn new(en: &str, nl: &str, nb: &str, sl: &str) -> Self {
        Self {
            en: en.into(),
            nl: nl.into(),
            nb: nb.into(),
            sl: sl.into(),
        }
    }

    /// The text in `lang`, English where that is empty.
    pub fn get(&self, lang: Lang) -> &str {
        let t = match lang {
            Lang::En => &self.en,
            Lang::Nl => &self.nl,
            Lang::Nb => &self.nb,
            Lang::Sl => &self.sl,
        };
        if t.trim().is_empty() {
            &self.en
        } else {
            t
        }
    }

    fn all(&self) -> [&str; 4] {
        [&self.en, &self.nl, &self.nb, &self.sl]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Names the question in forms, results and exports: `a-z`, `0-9`, `_`.
    pub key: String,
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    pub text: Localized,
    /// The choices of `single` and `multiple`, in their order.
    #[serde(default)]
    pub choices: Vec<Localized>,
    /// A scale's ends (1 and 5).
    #[serde(default)]
    pub low: Option<Localized>,
    #[serde(default)]
    pub high: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub title: Localized,
    pub questions: Vec<Question>,
}

/// A questionnaire as kept (JSON) in one version of its template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub title: Localized,
    pub sections: Vec<Section>,
}

fn wording(at: &str, t: &Localized) -> Result<(), String> {
    if t.en.trim().is_empty() {
        return Err(format!("{at}: the English wording is required"));
    }
    for s in t.all() {
        if s.chars().count() > MAX_WORDING {
            return Err(format!("{at}: at most {MAX_WORDING} characters"));
        }
        if let Some(c) = s.chars().find(|c| c.is_control() && *c != '\n') {
            return Err(format!("{at}: character U+{:04X} is not allowed", c as u32));
        }
    }
    Ok(())
}

impl Questionnaire {
    /// Every question in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections.iter().flat_map(|s| &s.questions)
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().find(|q| q.key == key)
    }

    /// Whether it can be asked: wordings present and within limits, keys unique and well
    /// formed, choices only where they belong; the first problem is named by its place.
    pub fn check(&self) -> Result<(), String> {
        wording("title", &self.title)?;
        if self.sections.is_empty() || self.questions().next().is_none() {
            return Err("sections: at least one question is needed".into());
        }
        let count = self.questions().count();
        if count > MAX_QUESTIONS {
            return Err(format!(
                "sections: at most {MAX_QUESTIONS} questions ({count})"
            ));
        }
        let mut keys = std::collections::HashSet::new();
        for (i, s) in self.sections.iter().enumerate() {
            wording(&format!("section {}", i + 1), &s.title)?;
            for q in &s.questions {
                let at = format!("question `{}`", q.key);
                let well_formed = !q.key.is_empty()
                    && q.key.len() <= 40
                    && q.key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !well_formed {
                    return Err(format!("{at}: a key is 1 to 40 of a-z, 0-9 and _"));
                }
                if !keys.insert(q.key.as_str()) {
                    return Err(format!("{at}: the key is used twice"));
                }
                wording(&at, &q.text)?;
                let chooses = matches!(q.kind, QuestionKind::Single | QuestionKind::Multiple);
                match (chooses, q.choices.len()) {
                    (true, n) if !(2..=MAX_CHOICES).contains(&n) => {
                        return Err(format!("{at}: from 2 to {MAX_CHOICES} choices ({n})"));
                    }
                    (false, n) if n > 0 => {
                        return Err(format!("{at}: a {} question has no choices", q.kind));
                    }
                    _ => {}
                }
                for (k, c) in q.choices.iter().enumerate() {
                    wording(&format!("{at}, choice {}", k + 1), c)?;
                }
                let ends = [&q.low, &q.high];
                if q.kind != QuestionKind::Scale && ends.iter().any(|e| e.is_some()) {
                    return Err(format!("{at}: only a scale has labelled ends"));
                }
                for e in ends.into_iter().flatten() {
                    wording(&at, e)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn t(en: &str) -> Localized {
        Localized::new(en, "", "", "")
    }

    /// A small questionnaire with every kind of question.
    pub(crate) fn sample() -> Questionnaire {
        Questionnaire {
            title: t("After the session"),
            sections: vec![
                Section {
                    title: t("The session"),
                    questions: vec![
                        Question {
                            key: "useful".into(),
                            kind: QuestionKind::Scale,
                            required: true,
                            text: t("How useful was it?"),
                            choices: vec![],
                            low: Some(t("not at all")),
                            high: Some(t("very")),
                        },
                        Question {
                            key: "part".into(),
                            kind: QuestionKind::Single,
                            required: false,
                            text: t("Which part helped most?"),
                            choices: vec![t("the group part"), t("the legal counselling")],
                            low: None,
                            high: None,
                        },
                    ],
                },
                Section {
                    title: t("Practice"),
                    questions: vec![
                        Question {
                            key: "changes".into(),
                            kind: QuestionKind::Multiple,
                            required: false,
                            text: t("What did you change?"),
                            choices: vec![t("planning"), t("meetings"), t("nothing yet")],
                            low: None,
                            high: None,
                        },
                        Question {
                            key: "again".into(),
                            kind: QuestionKind::YesNo,
                            required: true,
                            text: t("Would you take part again?"),
                            choices: vec![],
                            low: None,
                            high: None,
                        },
                        Question {
                            key: "remarks".into(),
                            kind: QuestionKind::Text,
                            required: false,
                            text: t("Anything else?"),
                            choices: vec![],
                            low: None,
                            high: None,
                        },
                    ],
                },
            ],
        }
    }

    #[test]
    fn a_questionnaire_is_checked_and_each_problem_named_by_its_place() {
        let q = sample();
        assert_eq!(q.check(), Ok(()));
        assert_eq!(q.questions().count(), 5);
        assert_eq!(q.question("again").unwrap().kind, QuestionKind::YesNo);
        let broken = |f: fn(&mut Questionnaire)| {
            let mut q = sample();
            f(&mut q);
            q.check().unwrap_err()
        };
        assert!(broken(|q| q.sections[1].questions[0].key = "useful".into())
            .contains("`useful`: the key is used twice"));
        assert!(broken(|q| q.sections[0].questions[1].choices.truncate(1))
            .contains("`part`: from 2 to 12 choices (1)"));
        assert!(
            broken(|q| q.sections[1].questions[1].choices = vec![t("x")])
                .contains("`again`: a yes_no question has no choices")
        );
        assert!(broken(|q| q.sections[0].questions[0].text.en.clear())
            .contains("`useful`: the English wording is required"));
        assert!(broken(|q| q.sections[0].questions[0].key = "Use ful".into()).contains("a-z"));
        assert!(broken(|q| q.sections[1].questions[1].low = Some(t("no"))).contains("only a scale"));
        assert!(broken(|q| q.title.nb = "a\u{7}b".into()).contains("U+0007"));
        assert!(broken(|q| q.sections.clear()).contains("at least one question"));
    }

    #[test]
    fn a_wording_falls_back_to_english() {
        let w = Localized::new("Useful?", "Nuttig?", "", " ");
        assert_eq!(w.get(Lang::Nl), "Nuttig?");
        assert_eq!(w.get(Lang::Nb), "Useful?");
        assert_eq!(w.get(Lang::Sl), "Useful?");
        let json = serde_json::to_string(&sample()).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sample());
    }
}
