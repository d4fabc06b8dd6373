//! Four languages through Fluent: `en`, `nl`, `nb`, `sl`. The language comes from
//! `?lang=`, then the `lang` cookie, then `Accept-Language`, then English.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::HashMap;
use unic_langid::LanguageIdentifier;

pub use headway_domain::language::Lang;

/// All bundles, built once at start-up and shared read-only.
pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

const SOURCES: [(Lang, &str); 4] = [
    (Lang::En, include_str!("../../locales/en.ftl")),
    (Lang::Nl, include_str!("../../locales/nl.ftl")),
    (Lang::Nb, include_str!("../../locales/nb.ftl")),
    (Lang::Sl, include_str!("../../locales/sl.ftl")),
];

impl I18n {
    /// Parses every locale; a syntax error in a shipped file is a bug and panics at start.
    pub fn new() -> Self {
        let mut bundles = HashMap::new();
        for (lang, src) in SOURCES {
            let res = FluentResource::try_new(src.to_owned())
                .unwrap_or_else(|(_, e)| panic!("locales/{}.ftl: {e:?}", lang.code()));
            let id: LanguageIdentifier = lang.code().parse().expect("language id");
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // Isolation marks would show up inside attributes and titles.
            b.set_use_isolating(false);
            b.add_resource(res).expect("no duplicate messages");
            bundles.insert(lang, b);
        }
        Self { bundles }
    }

    /// Message ids of a language, for the completeness test.
    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundles[&lang].has_message(id)
    }

    pub fn ids(lang: Lang) -> Vec<String> {
        let src = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, s)| *s)
            .unwrap_or("");
        src.lines()
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k))
            .filter(|k| !k.starts_with([' ', '#', '-', '*', '[']) && !k.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn format(&self, lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = &self.bundles[&lang];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            // Fall back to English, then to the id, so a missing string is visible but harmless.
            if lang != Lang::En {
                return self.format(Lang::En, id, args);
            }
            return id.to_owned();
        };
        let mut errors = vec![];
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

/// A translator bound to one request's language; templates call it.
#[derive(Clone)]
pub struct Tr {
    pub i18n: std::sync::Arc<I18n>,
    pub lang: Lang,
}

impl Tr {
    pub fn t(&self, id: &str) -> String {
        self.i18n.format(self.lang, id, None)
    }

    /// A message with a `count` argument, chosen by the language's plural rules.
    pub fn n(&self, id: &str, count: &u64) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*count));
        self.i18n.format(self.lang, id, Some(&args))
    }

    /// A message with one named string argument.
    pub fn a(&self, id: &str, name: &str, value: &str) -> String {
        self.args(id, &[(name, value)])
    }

    /// A message with named string arguments.
    pub fn args(&self, id: &str, pairs: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (k, v) in pairs {
            args.set((*k).to_owned(), FluentValue::from((*v).to_owned()));
        }
        self.i18n.format(self.lang, id, Some(&args))
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates() {
        assert_eq!(
            Lang::from_accept_language("de-DE,sl;q=0.8,en;q=0.5"),
            Some(Lang::Sl)
        );
        assert_eq!(Lang::from_accept_language("nn-NO"), Some(Lang::Nb));
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::parse("NL-be"), Some(Lang::Nl));
    }

    #[test]
    fn slovenian_has_a_dual() {
        let i = std::sync::Arc::new(I18n::new());
        let tr = |lang, n| {
            Tr {
                i18n: i.clone(),
                lang,
            }
            .n("org-count", &n)
        };
        assert_eq!(tr(Lang::Sl, 1), "1 organizacija");
        assert_eq!(tr(Lang::Sl, 2), "2 organizaciji");
        assert_eq!(tr(Lang::Sl, 3), "3 organizacije");
        assert_eq!(tr(Lang::Sl, 5), "5 organizacij");
        assert_eq!(tr(Lang::Sl, 102), "102 organizaciji");
        assert_eq!(tr(Lang::En, 2), "2 organisations");
        assert_eq!(tr(Lang::Nb, 1), "1 organisasjon");
    }

    #[test]
    fn every_language_has_every_message() {
        let i = I18n::new();
        let en = I18n::ids(Lang::En);
        assert!(en.len() > 40);
        for lang in Lang::ALL {
            for id in &en {
                assert!(i.has(lang, id), "{} lacks `{id}`", lang.code());
            }
            assert_eq!(
                I18n::ids(lang).len(),
                en.len(),
                "{} has extra messages",
                lang.code()
            );
        }
    }
}
