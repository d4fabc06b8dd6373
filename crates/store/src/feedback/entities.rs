//! The feedback slice's tables. Who was asked (`respondent`) and what was answered
//! (`answer_set`, `answer`) share no column but the wave.

pub mod questionnaire {
    use sea_orm::entity::prelude::*;

    /// One version of a questionnaire template; `body` is its JSON.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "questionnaires")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub template_key: String,
        pub version: i32,
        pub title: String,
        pub body: String,
        pub created_by: String,
        pub created_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod survey {
    use sea_orm::entity::prelude::*;

    /// A questionnaire's version asked about a subject; `reminder_days` lists the days after
    /// a wave opens on which non-respondents are reminded (`7,14`).
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "surveys")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub questionnaire_id: i32,
        pub subject_kind: String,
        pub subject_id: i32,
        pub title: String,
        pub threshold: i32,
        pub reminder_days: String,
        pub created_by: String,
        pub created_at: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod wave {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_waves")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub survey_id: i32,
        pub label: String,
        pub months: i32,
        pub opens_on: String,
        pub closes_on: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod respondent {
    use sea_orm::entity::prelude::*;

    /// That a person was asked in a wave, by which link (its SHA-256), and whether they have
    /// answered — never when, nor what.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "survey_respondents")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub wave_id: i32,
        pub person_id: i32,
        pub token_hash: String,
        pub answered: bool,
        pub reminders: i32,
        /// The session the person took part in, when the survey's subject has sessions.
        pub cohort: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod answer_set {
    use sea_orm::entity::prelude::*;

    /// One respondent's answers to a wave, under a random id; the session they took part
    /// in only when at least the survey's threshold of people were asked in it.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "answer_sets")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub wave_id: i32,
        pub cohort: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod answer {
    use sea_orm::entity::prelude::*;

    /// An answer: a scale's point, a choice's number (from 0; one row per choice of a
    /// multiple choice, `position` counting them), `yes`/`no`, or a text with its review.
    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "answers")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub set_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub question_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub value: String,
        pub review: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
