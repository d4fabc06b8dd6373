//! The answer form's parsing: arbitrary url-encoded bodies against the demo's regional-group
//! questionnaire (every kind of question). Whatever the body, parsing never panics; when
//! it succeeds, every required question has an answer, every answer is of its question's
//! kind and in range, and parsing the set written back as a form gives the same set.
#![no_main]

use headway_domain::feedback::{parse_answers, AnswerValue, QuestionKind, SCALE};
use headway_store::feedback::demo::regional_group;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn questionnaire() -> &'static headway_domain::feedback::Questionnaire {
    static Q: OnceLock<headway_domain::feedback::Questionnaire> = OnceLock::new();
    Q.get_or_init(regional_group)
}

fuzz_target!(|data: &[u8]| {
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    let q = questionnaire();
    let Ok(set) = parse_answers(q, &fields) else {
        return;
    };
    let mut form = Vec::new();
    for question in q.questions() {
        let answer = set.get(&question.key);
        assert!(
            !question.required || answer.is_some(),
            "{} is required",
            question.key
        );
        let field = format!("q_{}", question.key);
        match (question.kind, answer) {
            (_, None) => {}
            (QuestionKind::Scale, Some(AnswerValue::Scale(p))) => {
                assert!(SCALE.contains(p));
                form.push((field, p.to_string()));
            }
            (QuestionKind::Single, Some(AnswerValue::Choice(c))) => {
                assert!(*c < question.choices.len());
                form.push((field, (c + 1).to_string()));
            }
            (QuestionKind::Multiple, Some(AnswerValue::Choices(cs))) => {
                assert!(cs.iter().all(|c| *c < question.choices.len()));
                for c in cs {
                    form.push((field.clone(), (c + 1).to_string()));
                }
            }
            (QuestionKind::YesNo, Some(AnswerValue::YesNo(y))) => {
                form.push((field, if *y { "yes" } else { "no" }.into()));
            }
            (QuestionKind::Text, Some(AnswerValue::Text(t))) => {
                assert!(!t.trim().is_empty());
                form.push((field, t.clone()));
            }
            (kind, Some(v)) => panic!("{kind:?} answered with {v:?}"),
        }
    }
    assert_eq!(parse_answers(q, &form).expect("written back"), set);
});
